using System.Globalization;
using Webhooks.Core.Internal;

namespace Webhooks.Core;

/// <summary>
/// Signs deliveries with the <see href="https://www.standardwebhooks.com/">Standard Webhooks</see> scheme, the default:
/// <c>webhook-id</c>, <c>webhook-timestamp</c> (Unix seconds) and <c>webhook-signature</c>, which holds
/// <c>v1,&lt;base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))&gt;</c> for every secret valid at the attempt
/// time, newest first, separated by spaces. The HMAC key is the base64-decoded part of the <c>whsec_</c> secret.
/// </summary>
/// <remarks>The signer is stateless and thread-safe; one instance serves every webhook.</remarks>
public sealed class StandardWebhooksSigner : IWebhookSigner
{
    private const string VersionTag = "v1,";

    private static readonly IReadOnlyCollection<string> Names = [StandardWebhooksHeaders.Id, StandardWebhooksHeaders.Timestamp, StandardWebhooksHeaders.Signature];

    /// <inheritdoc />
    public IReadOnlyCollection<string> HeaderNames => Names;

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="messageId"/> is empty, or no secret is valid at <paramref name="timestamp"/>.</exception>
    /// <exception cref="FormatException">A secret is not base64.</exception>
    public void AddSignatureHeaders(
        string messageId, DateTimeOffset timestamp, ReadOnlySpan<byte> body, IReadOnlyList<WebhookSecret> secrets, ICollection<KeyValuePair<string, string>> headers)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(headers);

        var unixSeconds = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        string signature;
        using (var input = HmacInput.Create(messageId, unixSeconds, body))
        {
            signature = SignatureHeaderValue.Create([], ' ', VersionTag, input, secrets, timestamp);
        }

        headers.Add(new(StandardWebhooksHeaders.Id, messageId));
        headers.Add(new(StandardWebhooksHeaders.Timestamp, unixSeconds));
        headers.Add(new(StandardWebhooksHeaders.Signature, signature));
    }
}
