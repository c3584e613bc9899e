using System.Text.Json.Serialization;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>
/// The JSON merge patch of <c>PATCH {prefix}/{id}</c> as OpenAPI documents it: absent fields are unchanged,
/// <see langword="null"/> removes (<c>eventFilter</c>, a header), <c>"state": "DISABLED"</c> disables.
/// Bodies are read by <see cref="WebhookRequestReader"/>.
/// </summary>
internal sealed record UpdateWebhookRequest
{
    public string? Name { get; init; }

    public string? Url { get; init; }

    public IReadOnlyList<string>? EventTypes { get; init; }

    public string? EventFilter { get; init; }

    /// <summary>Gets header changes, merged into the stored headers; a <see langword="null"/> value removes a header.</summary>
    public IReadOnlyDictionary<string, string?>? Headers { get; init; }

    [JsonConverter(typeof(ApiEnumConverter<WebhookState>))]
    public WebhookState? State { get; init; }

    public bool? IsDefault { get; init; }

    [JsonConverter(typeof(ApiEnumConverter<VerificationMode>))]
    public VerificationMode? VerificationMode { get; init; }

    /// <summary>Gets the generation the change is based on; like <c>If-Match</c>, a stale one answers 409.</summary>
    public long? Generation { get; init; }
}
