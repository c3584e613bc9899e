using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Core.Internal;

/// <summary>Decodes <c>whsec_</c> secrets into HMAC keys without allocating for keys of usual size.</summary>
internal static class SigningKey
{
    /// <summary>The size of a stack buffer that holds every generated key (64 bytes) and most others.</summary>
    public const int StackBufferSize = 128;

    /// <summary>Refuses a <see cref="RicloudSigningKey"/> that is not one of its values, naming the allowed ones.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keying"/> is not a defined value.</exception>
    public static void ThrowIfUndefined(RicloudSigningKey keying, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(keying))] string? name = null)
    {
        if (!Enum.IsDefined(keying))
        {
            throw new ArgumentOutOfRangeException(name, keying, $"Allowed: {string.Join(", ", Enum.GetNames<RicloudSigningKey>())}.");
        }
    }

    /// <summary>Decodes a secret into <paramref name="buffer"/>, or into a new array when it does not fit.</summary>
    /// <param name="secret">The secret, with or without the <c>whsec_</c> prefix.</param>
    /// <param name="buffer">Where to decode; clear it with <see cref="CryptographicOperations.ZeroMemory"/> after use.</param>
    /// <returns>The key bytes.</returns>
    /// <exception cref="FormatException">The secret is not base64.</exception>
    public static ReadOnlySpan<byte> Decode(string secret, Span<byte> buffer) => Decode(secret, RicloudSigningKey.DecodedSecret, buffer);

    /// <summary>Turns a secret into the key bytes <paramref name="keying"/> names, in <paramref name="buffer"/> when they fit.</summary>
    /// <param name="secret">The secret, with or without the <c>whsec_</c> prefix.</param>
    /// <param name="keying">The key bytes: the decoded secret, or its text.</param>
    /// <param name="buffer">Where to write; clear it with <see cref="CryptographicOperations.ZeroMemory"/> after use.</param>
    /// <returns>The key bytes.</returns>
    /// <exception cref="FormatException">The secret is decoded and not base64.</exception>
    public static ReadOnlySpan<byte> Decode(string secret, RicloudSigningKey keying, Span<byte> buffer)
    {
        if (keying == RicloudSigningKey.SecretText)
        {
            return Encoding.UTF8.GetMaxByteCount(secret.Length) <= buffer.Length
                ? buffer[..Encoding.UTF8.GetBytes(secret, buffer)]
                : Encoding.UTF8.GetBytes(secret);
        }


        var encoded = secret.AsSpan();
        if (encoded.StartsWith(WebhookSecret.Prefix, StringComparison.Ordinal))
        {
            encoded = encoded[WebhookSecret.Prefix.Length..];
        }

        // A false answer means either bad base64 or a key larger than the buffer: DecodeKey tells them apart.
        return Convert.TryFromBase64Chars(encoded, buffer, out var written)
            ? buffer[..written]
            : WebhookSecret.DecodeKey(secret);
    }
}
