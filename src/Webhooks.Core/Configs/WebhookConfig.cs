namespace Webhooks.Core;

/// <summary>An endpoint subscription: where to deliver which events, and how it is doing.</summary>
public sealed record WebhookConfig
{
    /// <summary>Gets the identifier of the webhook.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the tenant (organisation) owning the webhook; <see langword="null"/> for the default tenant.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the display name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Gets the absolute URL events are posted to.</summary>
    public required string Url { get; init; }

    /// <summary>Gets the event type patterns: exact (<c>order.created</c>), prefix (<c>order.*</c>) or <c>*</c>.</summary>
    public IReadOnlyList<string> EventTypes { get; init; } = [];

    /// <summary>Gets the optional OData-style filter expression events must match.</summary>
    public string? EventFilter { get; init; }

    /// <summary>Gets the custom request headers sent with every delivery. Write-only for API callers.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = EmptyHeaders;

    /// <summary>Gets the signing secrets; the newest is primary, older ones stay valid until they expire.</summary>
    public IReadOnlyList<WebhookSecret> Secrets { get; init; } = [];

    /// <summary>Gets who wants the webhook on.</summary>
    public WebhookState State { get; init; } = WebhookState.Enabled;

    /// <summary>Gets whether events flow.</summary>
    public WebhookStatus Status { get; init; } = WebhookStatus.Pending;

    /// <summary>Gets the human-readable reason of the last status change.</summary>
    public string? StatusReason { get; init; }

    /// <summary>Gets a value indicating whether this is the tenant's default webhook for targeted events.</summary>
    public bool IsDefault { get; init; }

    /// <summary>Gets how the endpoint is verified.</summary>
    public VerificationMode VerificationMode { get; init; } = VerificationMode.None;

    /// <summary>Gets the recent delivery outcomes the health rules are applied to.</summary>
    public HealthWindow Health { get; init; }

    /// <summary>
    /// Gets when the webhook was enabled lately by its owner, oldest first: the enables that
    /// <see cref="WebhooksOptions.EnableRateLimit"/> counts, kept with the webhook so that every host instance sharing
    /// the store counts the same ones. Stores keep it as given.
    /// </summary>
    public IReadOnlyList<DateTimeOffset> EnabledAt { get; init; } = [];

    /// <summary>
    /// Gets when the webhook became its tenant's default (<see cref="IsDefault"/>), by its latest claim: of two claims made
    /// at once by instances sharing a store, the later one stays the default. <see langword="null"/> when it is not the
    /// default. Stores keep it as given.
    /// </summary>
    public DateTimeOffset? DefaultClaimedAt { get; init; }

    /// <summary>Gets when the webhook was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the webhook was last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets the update counter used for optimistic concurrency; stores increment it on every update.</summary>
    public long Generation { get; init; }

    /// <summary>Gets a value indicating whether events are delivered to this webhook now.</summary>
    public bool IsSending => State == WebhookState.Enabled && Status is WebhookStatus.Active or WebhookStatus.Warning;

    /// <summary>
    /// Gets a value indicating whether <paramref name="other"/> is this webhook at some generation, and not one created
    /// again with its id since (ids may be chosen, so perhaps by another tenant), whose generations start again: an update
    /// keeps the tenant and the creation time.
    /// </summary>
    internal bool IsSameWebhookAs(WebhookConfig other) =>
        CreatedAt == other.CreatedAt && string.Equals(TenantId, other.TenantId, StringComparison.Ordinal);

    /// <summary>Gets a value indicating whether <paramref name="other"/> is sent to the same URL with the same custom headers: verified as this one is.</summary>
    internal bool HasSameTargetAs(WebhookConfig other) =>
        Url == other.Url
        && Headers.Count == other.Headers.Count
        && Headers.All(h => other.Headers.TryGetValue(h.Key, out var value) && string.Equals(value, h.Value, StringComparison.Ordinal));

    private static readonly IReadOnlyDictionary<string, string> EmptyHeaders =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}
