namespace Webhooks.Core;

/// <summary>What a user submits to create a webhook.</summary>
public sealed record WebhookDefinition
{
    /// <summary>
    /// Gets the id to use: up to <see cref="WebhookValidator.MaxIdLength"/> ASCII letters, digits, <c>-</c>, <c>.</c>,
    /// <c>_</c>, <c>~</c> and <c>:</c>; <see langword="null"/> to generate one.
    /// </summary>
    public string? Id { get; init; }

    /// <summary>Gets the tenant; <see langword="null"/> for the default tenant.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the display name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Gets the absolute URL.</summary>
    public required string Url { get; init; }

    /// <summary>Gets the event type patterns.</summary>
    public IReadOnlyList<string> EventTypes { get; init; } = [];

    /// <summary>Gets the optional filter expression.</summary>
    public string? EventFilter { get; init; }

    /// <summary>Gets the custom request headers.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Gets the initial state. The default value is <see cref="WebhookState.Enabled"/>.</summary>
    public WebhookState State { get; init; } = WebhookState.Enabled;

    /// <summary>Gets a value indicating whether this is the tenant's default webhook.</summary>
    public bool IsDefault { get; init; }

    /// <summary>Gets the verification mode; <see langword="null"/> for <see cref="WebhooksOptions.DefaultVerificationMode"/>.</summary>
    public VerificationMode? VerificationMode { get; init; }
}
