namespace Webhooks.Core;

/// <summary>Publishes events to the webhooks that subscribe to them.</summary>
public interface IWebhookPublisher
{
    /// <summary>
    /// Broadcasts an event to every webhook of its tenant whose event types and filter match.
    /// Messages are stored before this returns; delivery happens in the background.
    /// </summary>
    /// <remarks>
    /// Idempotent on the tenant and <see cref="WebhookEvent.Id"/>: once an event stored messages, publishing it again
    /// stores none, for any webhook (<see cref="PublishResult.Duplicates"/> counts them). An event that matched no
    /// webhook stores nothing and is not recorded, so publishing it again reaches the webhooks that match by then.
    /// </remarks>
    /// <param name="webhookEvent">The event.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    ValueTask<PublishResult> PublishAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends an event to one webhook, or to the tenant's default webhook when <paramref name="webhookId"/>
    /// is <see langword="null"/>. Event types and filters are not applied to targeted events.
    /// </summary>
    /// <param name="webhookId">The target webhook, or <see langword="null"/> for the tenant's default.</param>
    /// <param name="webhookEvent">The event.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <exception cref="WebhookNotFoundException">
    /// <paramref name="webhookId"/> names no webhook of the event's tenant (there is no fallback to the default for a named
    /// target), or it is <see langword="null"/> and the tenant has no default webhook.
    /// </exception>
    ValueTask<PublishResult> PublishToAsync(string? webhookId, WebhookEvent webhookEvent, CancellationToken cancellationToken = default);
}
