namespace Webhooks.Core;

/// <summary>Options of the <see cref="InMemoryWebhookStore"/>.</summary>
public sealed class InMemoryStoreOptions
{
    /// <summary>The default of <see cref="MaxFinishedMessages"/>.</summary>
    public const int DefaultMaxFinishedMessages = 100_000;

    /// <summary>
    /// Gets or sets how many finished messages (Success, Failed, Cancelled) the store keeps, with their payloads and
    /// attempts, for the delivery log. Beyond it the messages that finished first are forgotten, in batches, whatever
    /// <see cref="WebhooksOptions.Retention"/> says: memory stays bounded however long the process runs. Messages not yet
    /// finished are never dropped. Default: <see cref="DefaultMaxFinishedMessages"/>.
    /// </summary>
    /// <remarks>
    /// A forgotten message no longer answers for its event id: publishing the same event again creates a new message,
    /// as it does after the retention purge.
    /// </remarks>
    public int MaxFinishedMessages { get; set; } = DefaultMaxFinishedMessages;
}
