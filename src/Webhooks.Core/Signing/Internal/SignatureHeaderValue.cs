using System.Buffers;
using System.Security.Cryptography;

namespace Webhooks.Core.Internal;

/// <summary>
/// Builds a signature header value: an optional head, then one <c>{tag}{base64 HMAC}</c> entry per secret
/// valid at the attempt time, newest first, all parts joined by a separator.
/// </summary>
internal static class SignatureHeaderValue
{
    private const int Base64HashLength = 44;
    private const int StackSecretLimit = 16;
    private const int StackCharLimit = 1024;

    /// <summary>Creates the header value.</summary>
    /// <param name="head">Text written first (for example <c>t=1614265330</c>), or empty.</param>
    /// <param name="separator">The character between parts.</param>
    /// <param name="tag">The text before each signature (for example <c>v1,</c>).</param>
    /// <param name="input">The signed content.</param>
    /// <param name="secrets">The webhook's secrets.</param>
    /// <param name="at">The attempt time, which decides which secrets sign.</param>
    /// <param name="keying">Which bytes of each secret key the HMAC.</param>
    /// <exception cref="ArgumentException">No secret is valid at <paramref name="at"/>.</exception>
    /// <exception cref="FormatException">A secret is not base64.</exception>
    public static string Create(
        ReadOnlySpan<char> head,
        char separator,
        ReadOnlySpan<char> tag,
        scoped in HmacInput input,
        IReadOnlyList<WebhookSecret> secrets,
        DateTimeOffset at,
        RicloudSigningKey keying = RicloudSigningKey.DecodedSecret)
    {
        Span<int> order = secrets.Count <= StackSecretLimit ? stackalloc int[secrets.Count] : new int[secrets.Count];
        var count = OrderValidSecrets(secrets, at, order);
        if (count == 0)
        {
            throw new ArgumentException($"None of the {secrets.Count} secrets is valid at {at:O}; a delivery is never sent unsigned.", nameof(secrets));
        }

        var length = head.Length + (count * (1 + tag.Length + Base64HashLength)) - (head.IsEmpty ? 1 : 0);
        char[]? rented = null;
        var chars = length <= StackCharLimit ? stackalloc char[length] : (rented = ArrayPool<char>.Shared.Rent(length));
        Span<byte> keyBuffer = stackalloc byte[SigningKey.StackBufferSize];
        Span<byte> hash = stackalloc byte[HmacInput.HashSize];
        try
        {
            head.CopyTo(chars);
            var written = head.Length;
            for (var i = 0; i < count; i++)
            {
                if (written > 0)
                {
                    chars[written++] = separator;
                }

                tag.CopyTo(chars[written..]);
                written += tag.Length;
                input.ComputeHash(SigningKey.Decode(secrets[order[i]].Key, keying, keyBuffer), hash);
                Convert.TryToBase64Chars(hash, chars[written..], out var encoded);
                written += encoded;
            }

            return new string(chars[..written]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyBuffer);
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Writes the indexes of the valid secrets to <paramref name="order"/>, newest first (stable on ties).</summary>
    private static int OrderValidSecrets(IReadOnlyList<WebhookSecret> secrets, DateTimeOffset at, Span<int> order)
    {
        var count = 0;
        for (var i = 0; i < secrets.Count; i++)
        {
            var secret = secrets[i];
            if (!secret.IsValidAt(at))
            {
                continue;
            }

            // Insertion sort: a webhook has one or two secrets, rarely more.
            var slot = count++;
            while (slot > 0 && secrets[order[slot - 1]].CreatedAt < secret.CreatedAt)
            {
                order[slot] = order[slot - 1];
                slot--;
            }

            order[slot] = i;
        }

        return count;
    }
}
