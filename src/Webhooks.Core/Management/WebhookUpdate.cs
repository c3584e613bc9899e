namespace Webhooks.Core;

/// <summary>A partial change to a webhook: <see langword="null"/> properties are left as they are.</summary>
public sealed record WebhookUpdate
{
    /// <summary>Gets the new display name.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the new URL; a change re-runs verification.</summary>
    public string? Url { get; init; }

    /// <summary>Gets the new event type patterns.</summary>
    public IReadOnlyList<string>? EventTypes { get; init; }

    /// <summary>Gets the new filter; an empty string removes the filter.</summary>
    public string? EventFilter { get; init; }

    /// <summary>Gets the new custom headers, replacing the old ones; a change re-runs verification.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Gets the new state: the user may enable (verification runs) or disable.</summary>
    public WebhookState? State { get; init; }

    /// <summary>Gets whether this becomes (or stops being) the tenant's default webhook.</summary>
    public bool? IsDefault { get; init; }

    /// <summary>Gets the new verification mode.</summary>
    public VerificationMode? VerificationMode { get; init; }
}
