namespace Webhooks.Core;

/// <summary>
/// A place in a tenant's list of webhook configs: the creation time and id of a config. The list is ordered newest
/// first, ties by id (compared ordinally), so a position is the cursor of a page: <see cref="WebhookConfigQuery.After"/>
/// lists what comes after it, whatever was created since, and whether or not its config still exists.
/// </summary>
public sealed record WebhookListPosition
{
    /// <summary>Initializes a new instance of the <see cref="WebhookListPosition"/> class.</summary>
    /// <param name="createdAt">The config's creation time.</param>
    /// <param name="webhookId">The config's id.</param>
    public WebhookListPosition(DateTimeOffset createdAt, string webhookId)
    {
        ArgumentNullException.ThrowIfNull(webhookId);
        CreatedAt = createdAt;
        WebhookId = webhookId;
    }

    /// <summary>Gets the config's creation time.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Gets the config's id.</summary>
    public string WebhookId { get; }

    /// <summary>Returns the position of <paramref name="config"/> in its tenant's list.</summary>
    /// <param name="config">The config.</param>
    public static WebhookListPosition Of(WebhookConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new WebhookListPosition(config.CreatedAt, config.Id);
    }

    /// <summary>
    /// Returns whether <paramref name="config"/> comes after this position in the list's order: created earlier, or at
    /// the same time with an id that compares ordinally higher.
    /// </summary>
    /// <param name="config">The config.</param>
    public bool Precedes(WebhookConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var byTime = config.CreatedAt.CompareTo(CreatedAt);
        return byTime < 0 || (byTime == 0 && string.CompareOrdinal(config.Id, WebhookId) > 0);
    }
}
