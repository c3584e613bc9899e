using System.Text.Json.Serialization;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>
/// The body of <c>POST {prefix}</c> as OpenAPI documents it. Bodies are read by <see cref="WebhookRequestReader"/>,
/// which names every wrong field instead of stopping at the first.
/// </summary>
internal sealed record CreateWebhookRequest
{
    public string? Name { get; init; }

    public required string Url { get; init; }

    public IReadOnlyList<string>? EventTypes { get; init; }

    public string? EventFilter { get; init; }

    /// <summary>Gets custom request headers; write-only, never returned.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    [JsonConverter(typeof(ApiEnumConverter<WebhookState>))]
    public WebhookState? State { get; init; }

    public bool? IsDefault { get; init; }

    [JsonConverter(typeof(ApiEnumConverter<VerificationMode>))]
    public VerificationMode? VerificationMode { get; init; }
}
