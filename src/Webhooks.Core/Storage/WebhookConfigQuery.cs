namespace Webhooks.Core;

/// <summary>Filters and paging for listing webhook configs of one tenant.</summary>
public sealed record WebhookConfigQuery
{
    /// <summary>Gets the tenant; <see langword="null"/> for the default tenant.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the state to match, or <see langword="null"/> for any.</summary>
    public WebhookState? State { get; init; }

    /// <summary>Gets the status to match, or <see langword="null"/> for any.</summary>
    public WebhookStatus? Status { get; init; }

    /// <summary>
    /// Gets a value indicating whether configs the user disabled (status <see cref="WebhookStatus.Disabled"/>) are listed
    /// when neither <see cref="State"/> nor <see cref="Status"/> asks for them. The default value is <see langword="false"/>.
    /// </summary>
    public bool IncludeUserDisabled { get; init; }

    /// <summary>Gets the earliest creation time, inclusive.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Gets the latest creation time, exclusive.</summary>
    public DateTimeOffset? CreatedTo { get; init; }

    /// <summary>
    /// Gets the place in the list to list from, or <see langword="null"/> to list from the newest config. Only configs
    /// that come after it (see <see cref="WebhookListPosition.Precedes"/>) match, so the position of a page's last config
    /// gives the next page: unlike <see cref="Offset"/>, it neither repeats nor skips configs when some are created or
    /// deleted between the two reads. <see cref="Offset"/> still applies, counted from the position.
    /// </summary>
    public WebhookListPosition? After { get; init; }

    /// <summary>Gets how many matching configs to skip. The default value is 0.</summary>
    public int Offset { get; init; }

    /// <summary>Gets the page size. The default value is 50.</summary>
    public int Limit { get; init; } = 50;

    /// <summary>Returns whether <paramref name="config"/> matches the filters and comes after <see cref="After"/> (offset and limit aside).</summary>
    /// <param name="config">The config.</param>
    public bool Matches(WebhookConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!string.Equals(config.TenantId, TenantId, StringComparison.Ordinal))
        {
            return false;
        }

        if (State is { } state && config.State != state)
        {
            return false;
        }

        if (Status is { } status && config.Status != status)
        {
            return false;
        }

        if (State is null && Status is null && !IncludeUserDisabled && config.Status == WebhookStatus.Disabled)
        {
            return false;
        }

        return (CreatedFrom is not { } from || config.CreatedAt >= from)
            && (CreatedTo is not { } to || config.CreatedAt < to)
            && (After is not { } after || after.Precedes(config));
    }
}
