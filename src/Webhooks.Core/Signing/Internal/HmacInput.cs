using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Core.Internal;

/// <summary>
/// The bytes a signature covers: an optional id, a timestamp and the body, joined by dots
/// (<c>{id}.{timestamp}.{body}</c>, or <c>{timestamp}.{body}</c> without an id).
/// Small bodies are copied once into a pooled buffer so every key hashes them in one call;
/// large bodies are never copied and are streamed through an incremental HMAC instead.
/// </summary>
internal ref struct HmacInput
{
    /// <summary>The size of an HMAC-SHA256 in bytes.</summary>
    public const int HashSize = HMACSHA256.HashSizeInBytes;

    /// <summary>The largest body copied next to its prefix; above it the body is hashed in place.</summary>
    internal const int ContiguousBodyLimit = 16 * 1024;

    private readonly ReadOnlySpan<byte> _body;
    private readonly int _prefixLength;
    private byte[]? _buffer;

    private HmacInput(ReadOnlySpan<byte> body, byte[] buffer, int prefixLength)
    {
        _body = body;
        _buffer = buffer;
        _prefixLength = prefixLength;
    }

    private readonly bool IsContiguous => _body.Length <= ContiguousBodyLimit;

    /// <summary>Prepares the signed content. Dispose the result to return its buffer.</summary>
    /// <param name="id">The message id, or empty when the scheme signs none.</param>
    /// <param name="timestamp">The timestamp text exactly as sent.</param>
    /// <param name="body">The exact body bytes.</param>
    public static HmacInput Create(ReadOnlySpan<char> id, ReadOnlySpan<char> timestamp, ReadOnlySpan<byte> body)
    {
        var maxPrefix = Encoding.UTF8.GetMaxByteCount(id.Length + timestamp.Length) + 2;
        var copied = body.Length <= ContiguousBodyLimit ? body.Length : 0;
        var buffer = ArrayPool<byte>.Shared.Rent(maxPrefix + copied);
        var length = 0;
        if (!id.IsEmpty)
        {
            length += Encoding.UTF8.GetBytes(id, buffer);
            buffer[length++] = (byte)'.';
        }

        length += Encoding.UTF8.GetBytes(timestamp, buffer.AsSpan(length));
        buffer[length++] = (byte)'.';
        body[..copied].CopyTo(buffer.AsSpan(length));
        return new HmacInput(body, buffer, length);
    }

    /// <summary>Writes HMAC-SHA256(<paramref name="key"/>, content) to <paramref name="destination"/>.</summary>
    /// <param name="key">The HMAC key.</param>
    /// <param name="destination">At least <see cref="HashSize"/> bytes.</param>
    public readonly void ComputeHash(ReadOnlySpan<byte> key, Span<byte> destination)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(HmacInput));
        if (IsContiguous)
        {
            HMACSHA256.HashData(key, buffer.AsSpan(0, _prefixLength + _body.Length), destination);
            return;
        }

        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(buffer.AsSpan(0, _prefixLength));
        hmac.AppendData(_body);
        hmac.GetHashAndReset(destination);
    }

    /// <summary>Returns the pooled buffer.</summary>
    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
