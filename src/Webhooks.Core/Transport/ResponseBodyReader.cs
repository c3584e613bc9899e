using System.Buffers;
using System.Net;
using System.Text;

namespace Webhooks.Core.Internal;

/// <summary>Reads the start of a response body as UTF-8 text, never more than a given number of bytes.</summary>
internal static class ResponseBodyReader
{
    public static async ValueTask<string> ReadAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        // Nothing to read: skip the stream and its buffer. A 204 has no body by definition (RFC 9110, 15.3.5), and many
        // receivers answer Content-Length: 0.
        var content = response.Content;
        if (limit <= 0 || response.StatusCode == HttpStatusCode.NoContent || content.Headers.ContentLength == 0)
        {
            return string.Empty;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(limit);
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var length = await stream.ReadAtLeastAsync(buffer.AsMemory(0, limit), limit, throwOnEndOfStream: false, cancellationToken)
                    .ConfigureAwait(false);
                return length < limit ? Encoding.UTF8.GetString(buffer, 0, length) : DecodeCut(buffer.AsSpan(0, length));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // A cut at the limit may split a character; flush: false leaves its first bytes out instead of decoding them as U+FFFD.
    private static string DecodeCut(ReadOnlySpan<byte> bytes)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[decoder.GetCharCount(bytes, flush: false)];
        decoder.GetChars(bytes, chars, flush: false);
        return new string(chars);
    }
}
