using System.Globalization;
using Webhooks.Core.Internal;

namespace Webhooks.Core;

/// <summary>
/// Signs deliveries in the ricloud style: one header, <see cref="DefaultHeaderName"/> unless configured, whose value
/// is <c>t=&lt;unix seconds&gt;,s=&lt;base64(HMAC-SHA256(key, "&lt;t&gt;.&lt;body&gt;"))&gt;</c>.
/// </summary>
/// <remarks>
/// The HMAC key is the base64-decoded part of the <c>whsec_</c> secret, the same key the Standard Webhooks scheme uses,
/// or, with <see cref="RicloudSigningKey.SecretText"/>, the secret's text as ricloud's own client library keys it; a
/// receiver built on that library reads <see cref="RicloudHeaderName"/> and the first <c>s=</c> entry only, the newest
/// secret's. During a rotation every secret valid at the attempt time signs and the one header carries one <c>s=</c> entry per
/// secret, newest first (<c>t=…,s=…,s=…</c>); a single header survives proxies that fold repeated headers.
/// Receivers accept the request when any entry matches (see <see cref="RicloudVerifier"/>). The scheme signs no
/// message id and adds no other header. The signer is stateless and thread-safe.
/// </remarks>
public sealed class RicloudSigner : IWebhookSigner
{
    /// <summary>The header written when no other name is configured: <c>webhook-signature</c>.</summary>
    public const string DefaultHeaderName = StandardWebhooksHeaders.Signature;

    /// <summary>The header ricloud's own client library reads: <c>Ricloud-Signature</c>.</summary>
    public const string RicloudHeaderName = "Ricloud-Signature";

    private const string TimestampTag = "t=";
    private const string SignatureTag = "s=";

    /// <summary>Initializes a new instance of the <see cref="RicloudSigner"/> class that writes <see cref="DefaultHeaderName"/>.</summary>
    public RicloudSigner()
        : this(DefaultHeaderName)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RicloudSigner"/> class.</summary>
    /// <param name="headerName">The name of the signature header.</param>
    /// <exception cref="ArgumentException"><paramref name="headerName"/> is empty, white space, or not an HTTP token.</exception>
    public RicloudSigner(string headerName)
        : this(headerName, RicloudSigningKey.DecodedSecret)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RicloudSigner"/> class.</summary>
    /// <param name="headerName">The name of the signature header, such as <see cref="RicloudHeaderName"/>.</param>
    /// <param name="keying">Which bytes of each secret key the HMAC.</param>
    /// <exception cref="ArgumentException"><paramref name="headerName"/> is empty, white space, or not an HTTP token.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keying"/> is not a defined value.</exception>
    public RicloudSigner(string headerName, RicloudSigningKey keying)
    {
        SigningKey.ThrowIfUndefined(keying);

        ArgumentException.ThrowIfNullOrWhiteSpace(headerName);
        if (!WebhookValidator.IsToken(headerName))
        {
            // Taken as given, every delivery would fail as the transport refuses the header.
            throw new ArgumentException($"The signature header name '{headerName}' is not an HTTP token: {WebhookValidator.TokenCharacters} only.", nameof(headerName));
        }

        HeaderName = headerName;
        HeaderNames = [headerName];
        Keying = keying;
    }

    /// <summary>Gets which bytes of each secret key the HMAC.</summary>
    public RicloudSigningKey Keying { get; }

    /// <summary>Gets the name of the signature header.</summary>
    public string HeaderName { get; }

    /// <inheritdoc />
    public IReadOnlyCollection<string> HeaderNames { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">No secret is valid at <paramref name="timestamp"/>.</exception>
    /// <exception cref="FormatException">A secret is not base64.</exception>
    public void AddSignatureHeaders(
        string messageId, DateTimeOffset timestamp, ReadOnlySpan<byte> body, IReadOnlyList<WebhookSecret> secrets, ICollection<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(headers);

        Span<char> head = stackalloc char[TimestampTag.Length + 20];
        TimestampTag.CopyTo(head);
        timestamp.ToUnixTimeSeconds().TryFormat(head[TimestampTag.Length..], out var digits, provider: CultureInfo.InvariantCulture);
        head = head[..(TimestampTag.Length + digits)];

        string value;
        using (var input = HmacInput.Create([], head[TimestampTag.Length..], body))
        {
            value = SignatureHeaderValue.Create(head, ',', SignatureTag, input, secrets, timestamp, Keying);
        }

        headers.Add(new(HeaderName, value));
    }
}
