namespace Webhooks.Core;

/// <summary>
/// Adds the signature headers of one delivery attempt. Implementations are pure and thread-safe;
/// they sign with every secret valid at the attempt time so receivers keep working through a rotation.
/// </summary>
public interface IWebhookSigner
{
    /// <summary>Adds the signature headers for a body.</summary>
    /// <param name="messageId">The message id.</param>
    /// <param name="timestamp">The attempt time.</param>
    /// <param name="body">The exact bytes sent.</param>
    /// <param name="secrets">The webhook's secrets; expired ones are skipped.</param>
    /// <param name="headers">Where to add the headers.</param>
    void AddSignatureHeaders(string messageId, DateTimeOffset timestamp, ReadOnlySpan<byte> body, IReadOnlyList<WebhookSecret> secrets, ICollection<KeyValuePair<string, string>> headers);

    /// <summary>
    /// Gets the names of the headers <see cref="AddSignatureHeaders"/> writes. A webhook may not set custom headers of
    /// these names (they are refused as reserved). Empty unless the signer says: a custom header of the same name as a
    /// signature header is then still left out of each request, so that it never replaces or doubles the signature.
    /// </summary>
    IReadOnlyCollection<string> HeaderNames => [];
}
