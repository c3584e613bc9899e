using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>Reads a request body as bytes, exactly as sent, up to a limit; nothing is bound or decoded first.</summary>
internal static class RawBody
{
    private const int InitialCapacity = 64 * 1024;

    /// <summary>Returns the body, or <see langword="null"/> when it is longer than <paramref name="limit"/>.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        // The claimed length is not trusted for more than a start: the body is unauthenticated until its signature is
        // checked, and slow requests each claiming the limit would otherwise reserve it up front.
        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)Math.Min(length, InitialCapacity) : 4096);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            // A host's middleware that buffered the body (EnableBuffering) and read it may have left it at its end: the
            // signature covers all of it.
            if (request.Body.CanSeek)
            {
                request.Body.Position = 0;
            }

            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
