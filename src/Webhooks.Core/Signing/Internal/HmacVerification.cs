using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Core.Internal;

/// <summary>
/// The receiver-side checks shared by the signature schemes: the timestamp window and the constant-time
/// comparison of the signatures found in a header against the ones computed with every known key.
/// </summary>
internal sealed class HmacVerification
{
    private const int StackHashBytes = 8 * HmacInput.HashSize;

    private readonly byte[][] _keys;
    private readonly long _toleranceSeconds;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="HmacVerification"/> class.</summary>
    /// <exception cref="ArgumentException"><paramref name="secrets"/> is empty or holds an empty secret.</exception>
    /// <exception cref="FormatException">A secret is not base64.</exception>
    public HmacVerification(
        IEnumerable<string> secrets, SignatureVerificationOptions? options, TimeProvider? timeProvider, RicloudSigningKey keying = RicloudSigningKey.DecodedSecret)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _keys = [.. secrets.Select(secret => DecodeKey(secret, keying))];
        if (_keys.Length == 0)
        {
            throw new ArgumentException("At least one secret is required.", nameof(secrets));
        }

        var tolerance = options?.Tolerance ?? new SignatureVerificationOptions().Tolerance;
        ArgumentOutOfRangeException.ThrowIfLessThan(tolerance, TimeSpan.Zero, nameof(options));
        _toleranceSeconds = tolerance.Ticks / TimeSpan.TicksPerSecond;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Checks the timestamp, then looks for a signature of <c>{id}.{timestamp}.{body}</c> (no id part when
    /// <paramref name="id"/> is empty) among the entries of <paramref name="signatures"/> that start with
    /// <paramref name="tag"/>, spaces and commas around each trimmed. Other entries, empty signatures and malformed
    /// base64 never match.
    /// </summary>
    public SignatureVerificationResult Verify(
        ReadOnlySpan<char> id, ReadOnlySpan<char> timestamp, ReadOnlySpan<byte> body, ReadOnlySpan<char> signatures, char separator, string tag)
    {
        var timestampResult = CheckTimestamp(timestamp);
        if (timestampResult != SignatureVerificationResult.Valid)
        {
            return timestampResult;
        }

        var expectedLength = _keys.Length * HmacInput.HashSize;
        var expected = expectedLength <= StackHashBytes ? stackalloc byte[expectedLength] : new byte[expectedLength];
        using (var input = HmacInput.Create(id, timestamp, body))
        {
            for (var i = 0; i < _keys.Length; i++)
            {
                input.ComputeHash(_keys[i], expected.Slice(i * HmacInput.HashSize, HmacInput.HashSize));
            }
        }

        foreach (var range in signatures.Split(separator))
        {
            // Commas too: HTTP lets an intermediary join several field lines into one with ", " (RFC 9110, section 5.3).
            // Base64 holds none, and a tag's own comma trimmed off ("v1,") no longer matches the tag.
            var entry = signatures[range].Trim(" ,");
            if (entry.StartsWith(tag, StringComparison.Ordinal) && Matches(entry[tag.Length..], expected))
            {
                return SignatureVerificationResult.Valid;
            }
        }

        return SignatureVerificationResult.NoValidSignature;
    }

    private SignatureVerificationResult CheckTimestamp(ReadOnlySpan<char> text)
    {
        // NumberStyles.None: ASCII digits only, no sign, no spaces, no exponent.
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var signedAt))
        {
            return SignatureVerificationResult.InvalidTimestamp;
        }

        // Written so that no subtraction involves the attacker-controlled value, which may be near long.MaxValue.
        var now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (signedAt < now - _toleranceSeconds)
        {
            return SignatureVerificationResult.TimestampTooOld;
        }

        return signedAt > now + _toleranceSeconds
            ? SignatureVerificationResult.TimestampInFuture
            : SignatureVerificationResult.Valid;
    }

    private static bool Matches(ReadOnlySpan<char> base64, ReadOnlySpan<byte> expected)
    {
        Span<byte> candidate = stackalloc byte[HmacInput.HashSize];
        if (base64.IsEmpty || !Convert.TryFromBase64Chars(base64, candidate, out var written) || written != HmacInput.HashSize)
        {
            return false;
        }

        for (var offset = 0; offset < expected.Length; offset += HmacInput.HashSize)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate, expected.Slice(offset, HmacInput.HashSize)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The shortest key a verifier takes: an empty or very short one lets anyone compute a valid signature.</summary>
    internal const int MinKeyBytes = 16;

    private static byte[] DecodeKey(string secret, RicloudSigningKey keying)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret, "secrets");
        var key = keying == RicloudSigningKey.SecretText ? Encoding.UTF8.GetBytes(secret) : WebhookSecret.DecodeKey(secret);
        if (key.Length < MinKeyBytes)
        {
            throw new ArgumentException(
                $"A secret's key is {key.Length} bytes long; at least {MinKeyBytes} are required (a secret is 'whsec_' and the base64 of its key).", "secrets");
        }

        return key;
    }
}
