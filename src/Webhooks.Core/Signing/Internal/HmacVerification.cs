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
    /// <paramref name="tag"/>, spaces and commas around each trimmed; a tag ending in a comma (<c>v1,</c>) also finds its
    /// pairs in an entry where an intermediary joined field lines with a comma alone. Other entries, empty signatures and
    /// malformed base64 (whitespace inside included) never match.
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
            if (tag.EndsWith(',') ? AnyPairMatches(entry, tag.AsSpan(0, tag.Length - 1), expected)
                : entry.StartsWith(tag, StringComparison.Ordinal) && Matches(entry[tag.Length..], expected))
            {
                return SignatureVerificationResult.Valid;
            }
        }

        return SignatureVerificationResult.NoValidSignature;
    }

    /// <summary>
    /// Whether an entry of version,signature pairs has one of <paramref name="version"/> that matches: one pair, or
    /// several where an intermediary joined field lines with a comma and no space, or a tab ("v1,A,v1,B", "v1,A,\tv1,B").
    /// </summary>
    private static bool AnyPairMatches(ReadOnlySpan<char> entry, ReadOnlySpan<char> version, ReadOnlySpan<byte> expected)
    {
        while (!entry.IsEmpty)
        {
            var comma = entry.IndexOf(',');
            if (comma < 0)
            {
                return false;
            }

            // The join's optional whitespace comes before a version, never inside a signature.
            var pairVersion = entry[..comma].TrimStart(" \t");
            var rest = entry[(comma + 1)..];
            var end = rest.IndexOf(',');
            var signature = end < 0 ? rest : rest[..end];
            if (pairVersion.SequenceEqual(version) && Matches(signature, expected))
            {
                return true;
            }

            entry = end < 0 ? [] : rest[(end + 1)..];
        }

        return false;
    }

    private SignatureVerificationResult CheckTimestamp(ReadOnlySpan<char> text)
    {
        // ASCII digits only, no sign, no spaces, no exponent: NumberStyles.None alone still takes trailing NULs.
        if (text.IsEmpty || text.ContainsAnyExceptInRange('0', '9')
            || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var signedAt))
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
        // The decoder skips whitespace, which a signature never holds: "v1,\tAB…" would match where "v1, AB…" does not.
        Span<byte> candidate = stackalloc byte[HmacInput.HashSize];
        if (base64.IsEmpty || base64.ContainsAny(" \t\r\n") || !Convert.TryFromBase64Chars(base64, candidate, out var written) || written != HmacInput.HashSize)
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
