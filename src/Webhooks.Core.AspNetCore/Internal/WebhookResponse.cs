using System.Text.Json.Serialization;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>A webhook as API callers see it: no custom header values and no secrets, except the one new secret on create and rotate.</summary>
internal sealed record WebhookResponse
{
    public required string Id { get; init; }

    /// <summary>Gets the webhook's tenant (the caller's), or <see langword="null"/> for the default one.</summary>
    public string? TenantId { get; init; }

    public required string Name { get; init; }

    public required string Url { get; init; }

    public required IReadOnlyList<string> EventTypes { get; init; }

    public string? EventFilter { get; init; }

    [JsonConverter(typeof(ApiEnumConverter<WebhookState>))]
    public WebhookState State { get; init; }

    [JsonConverter(typeof(ApiEnumConverter<WebhookStatus>))]
    public WebhookStatus Status { get; init; }

    public string? StatusReason { get; init; }

    public bool IsDefault { get; init; }

    [JsonConverter(typeof(ApiEnumConverter<VerificationMode>))]
    public VerificationMode VerificationMode { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long Generation { get; init; }

    /// <summary>Gets the new primary secret; only set in the answers to create and rotate.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Secret { get; init; }

    public static WebhookResponse From(WebhookConfig config, string? secret = null) => new()
    {
        Id = config.Id,
        TenantId = config.TenantId,
        Name = config.Name,
        Url = config.Url,
        EventTypes = config.EventTypes,
        EventFilter = string.IsNullOrEmpty(config.EventFilter) ? null : config.EventFilter,
        State = config.State,
        Status = config.Status,
        StatusReason = config.StatusReason,
        IsDefault = config.IsDefault,
        VerificationMode = config.VerificationMode,
        CreatedAt = config.CreatedAt,
        UpdatedAt = config.UpdatedAt,
        Generation = config.Generation,
        Secret = secret,
    };
}
