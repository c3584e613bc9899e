using Webhooks.Core.Internal;

namespace Webhooks.Core;

/// <summary>Checks ricloud-style signatures (<c>t=&lt;unix&gt;,s=&lt;base64&gt;[,s=…]</c>) on the receiving side, as produced by <see cref="RicloudSigner"/>.</summary>
/// <remarks>
/// The header must hold exactly one <c>t=</c> entry, within <see cref="SignatureVerificationOptions.Tolerance"/> of the
/// receiver's clock, and any <c>s=</c> entry must match HMAC-SHA256(key, "&lt;t&gt;.&lt;body&gt;") under any of the
/// secrets, compared in constant time. Entries are separated by commas (spaces around them are ignored); unknown
/// entries, empty signatures and malformed base64 never match. Instances are immutable and thread-safe.
/// </remarks>
public sealed class RicloudVerifier
{
    private const string TimestampTag = "t=";
    private const string SignatureTag = "s=";

    private readonly HmacVerification _verification;

    /// <summary>Initializes a new instance of the <see cref="RicloudVerifier"/> class.</summary>
    /// <param name="secrets">The secrets that may have signed the request (<c>whsec_</c> followed by base64); during a rotation, pass the old and the new one.</param>
    /// <param name="options">The verification options; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The receiver's clock. The default value is <see cref="TimeProvider.System"/>.</param>
    /// <param name="keying">Which bytes of each secret key the HMAC, as the signer's <see cref="RicloudSigner.Keying"/>. The default value is <see cref="RicloudSigningKey.DecodedSecret"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="secrets"/> is empty or holds an empty secret or one whose key is under 16 bytes, or the tolerance is negative.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keying"/> is not a defined value.</exception>
    /// <exception cref="FormatException">A secret is decoded and not base64.</exception>
    public RicloudVerifier(
        IEnumerable<string> secrets,
        SignatureVerificationOptions? options = null,
        TimeProvider? timeProvider = null,
        RicloudSigningKey keying = RicloudSigningKey.DecodedSecret)
    {
        SigningKey.ThrowIfUndefined(keying);

        _verification = new HmacVerification(secrets, options, timeProvider, keying);
    }

    /// <summary>Verifies a request and names what is wrong with it, if anything.</summary>
    /// <param name="signatureHeader">The signature header (<see cref="RicloudSigner.HeaderName"/>).</param>
    /// <param name="body">The raw body bytes, exactly as received.</param>
    /// <returns>
    /// <see cref="SignatureVerificationResult.Valid"/>, or the first problem found: a missing header or <c>t=</c> entry is
    /// <see cref="SignatureVerificationResult.MissingHeaders"/>, and several <c>t=</c> entries are
    /// <see cref="SignatureVerificationResult.InvalidTimestamp"/>.
    /// </returns>
    public SignatureVerificationResult Verify(string? signatureHeader, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(signatureHeader))
        {
            return SignatureVerificationResult.MissingHeaders;
        }

        var header = signatureHeader.AsSpan();
        var timestamp = ReadOnlySpan<char>.Empty;
        var found = 0;
        foreach (var range in header.Split(','))
        {
            var entry = header[range].Trim(' ');
            if (entry.StartsWith(TimestampTag, StringComparison.Ordinal))
            {
                timestamp = entry[TimestampTag.Length..];
                found++;
            }
        }

        return found switch
        {
            0 => SignatureVerificationResult.MissingHeaders,
            1 => _verification.Verify([], timestamp, body, header, ',', SignatureTag),
            _ => SignatureVerificationResult.InvalidTimestamp,
        };
    }

    /// <summary>Returns whether a request is authentic and recent; see <see cref="Verify"/> for the reason when it is not.</summary>
    /// <param name="signatureHeader">The signature header (<see cref="RicloudSigner.HeaderName"/>).</param>
    /// <param name="body">The raw body bytes, exactly as received.</param>
    /// <returns><see langword="true"/> when <see cref="Verify"/> answers <see cref="SignatureVerificationResult.Valid"/>.</returns>
    public bool IsValid(string? signatureHeader, ReadOnlySpan<byte> body) =>
        Verify(signatureHeader, body) == SignatureVerificationResult.Valid;
}
