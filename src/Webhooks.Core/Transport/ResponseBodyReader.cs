using System.Buffers;
using System.Net;
using System.Text;

namespace Webhooks.Core.Internal;

/// <summary>
/// Reads the start of a response body as text in the charset its <c>content-type</c> names (UTF-8 when it names none, or
/// one .NET does not know), never more than a given number of bytes.
/// </summary>
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
                var encoding = EncodingOf(content);
                return length < limit ? encoding.GetString(buffer, 0, length) : DecodeCut(encoding, buffer.AsSpan(0, length));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // A cut at the limit may split a character; flush: false leaves its first bytes out instead of decoding them as U+FFFD.
    private static string DecodeCut(Encoding encoding, ReadOnlySpan<byte> bytes)
    {
        var decoder = encoding.GetDecoder();
        var chars = new char[decoder.GetCharCount(bytes, flush: false)];
        decoder.GetChars(bytes, chars, flush: false);
        return new string(chars);
    }

    // A Latin-1 or UTF-16 error page read as UTF-8 would be logged as replacement characters or NULs.
    private static Encoding EncodingOf(HttpContent content)
    {
        if (content.Headers.ContentType?.CharSet is not { Length: > 0 } charset)
        {
            return Encoding.UTF8;
        }

        try
        {
            return Encoding.GetEncoding(charset.Trim('"'));
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException)
        {
            // NotSupportedException: a charset .NET knows but will not decode, UTF-7 (SYSLIB0001).
            return Encoding.UTF8;
        }
    }
}
