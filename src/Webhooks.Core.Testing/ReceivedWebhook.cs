using System.Text;

namespace Webhooks.Core.Testing;

/// <summary>One request that reached a <see cref="TestWebhookReceiver"/>.</summary>
public sealed record ReceivedWebhook
{
    /// <summary>Gets the HTTP method, for example <c>POST</c> for a delivery and <c>GET</c> for a handshake.</summary>
    public required string Method { get; init; }

    /// <summary>Gets the request path, for example <c>/hook</c>.</summary>
    public required string Path { get; init; }

    /// <summary>Gets the query string including its leading <c>?</c>, or an empty string.</summary>
    public string Query { get; init; } = string.Empty;

    /// <summary>Gets the request headers by name, compared case-insensitively; repeated headers are joined with commas.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>Gets the body bytes exactly as received.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Gets the body decoded as UTF-8.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body.Span);

    /// <summary>Gets when the request arrived.</summary>
    public DateTimeOffset ReceivedAt { get; init; }
}
