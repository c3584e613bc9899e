using Webhooks.Core.Internal;

namespace Webhooks.Core;

/// <summary>
/// Checks <see href="https://www.standardwebhooks.com/">Standard Webhooks</see> signatures on the receiving side,
/// as produced by <see cref="StandardWebhooksSigner"/>.
/// </summary>
/// <remarks>
/// A request is valid when its timestamp is within <see cref="SignatureVerificationOptions.Tolerance"/> of the
/// receiver's clock and any <c>v1</c> signature of the space-separated list matches under any of the secrets,
/// compared in constant time. Other versions (<c>v2,…</c>, <c>v1a,…</c>), empty signatures (<c>v1,</c>) and
/// malformed base64 never match. Several header fields combined into one as HTTP allows (<c>v1,…, v1,…</c>, joined
/// by a comma and a space) are read as the same list. Instances are immutable and thread-safe.
/// </remarks>
public sealed class StandardWebhooksVerifier
{
    private const string VersionTag = "v1,";

    private readonly HmacVerification _verification;

    /// <summary>Initializes a new instance of the <see cref="StandardWebhooksVerifier"/> class.</summary>
    /// <param name="secrets">The secrets that may have signed the request (<c>whsec_</c> followed by base64); during a rotation, pass the old and the new one.</param>
    /// <param name="options">The verification options; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The receiver's clock. The default value is <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="secrets"/> is empty or holds an empty secret or one whose key is under 16 bytes, or the tolerance is negative.</exception>
    /// <exception cref="FormatException">A secret is not base64.</exception>
    public StandardWebhooksVerifier(IEnumerable<string> secrets, SignatureVerificationOptions? options = null, TimeProvider? timeProvider = null)
    {
        _verification = new HmacVerification(secrets, options, timeProvider);
    }

    /// <summary>Verifies a request and names what is wrong with it, if anything.</summary>
    /// <param name="id">The <c>webhook-id</c> header.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c> header.</param>
    /// <param name="signatureHeader">The <c>webhook-signature</c> header.</param>
    /// <param name="body">The raw body bytes, exactly as received.</param>
    /// <returns><see cref="SignatureVerificationResult.Valid"/>, or the first problem found.</returns>
    public SignatureVerificationResult Verify(string? id, string? timestamp, string? signatureHeader, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signatureHeader))
        {
            return SignatureVerificationResult.MissingHeaders;
        }

        return _verification.Verify(id, timestamp, body, signatureHeader, ' ', VersionTag);
    }

    /// <summary>Returns whether a request is authentic and recent; see <see cref="Verify"/> for the reason when it is not.</summary>
    /// <param name="id">The <c>webhook-id</c> header.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c> header.</param>
    /// <param name="signatureHeader">The <c>webhook-signature</c> header.</param>
    /// <param name="body">The raw body bytes, exactly as received.</param>
    /// <returns><see langword="true"/> when <see cref="Verify"/> answers <see cref="SignatureVerificationResult.Valid"/>.</returns>
    public bool IsValid(string? id, string? timestamp, string? signatureHeader, ReadOnlySpan<byte> body) =>
        Verify(id, timestamp, signatureHeader, body) == SignatureVerificationResult.Valid;
}
