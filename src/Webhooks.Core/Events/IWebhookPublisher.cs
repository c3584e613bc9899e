namespace Webhooks.Core;

/// <summary>Publishes events to the webhooks that subscribe to them.</summary>
public interface IWebhookPublisher
{
    /// <summary>
    /// Broadcasts an event to every enabled webhook of its tenant whose event types and filter match (a disabled one,
    /// by its owner or by the system, is not sent events published meanwhile).
    /// Messages are stored before this returns; delivery happens in the background.
    /// </summary>
    /// <remarks>
    /// Idempotent on the tenant and <see cref="WebhookEvent.Id"/>: once an event stored messages, publishing it again
    /// stores none, for any webhook (<see cref="PublishResult.Duplicates"/> counts them). An event that matched no
    /// webhook stores nothing and is not recorded, so publishing it again reaches the webhooks that match by then.
    /// </remarks>
    /// <param name="webhookEvent">The event.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <exception cref="ArgumentException">The event's id, type, tenant id or data is not valid (<see cref="WebhookEvent.Validate"/>).</exception>
    ValueTask<PublishResult> PublishAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends an event to one webhook, or to the tenant's default webhook when <paramref name="webhookId"/>
    /// is <see langword="null"/>. Event types and filters are not applied to targeted events. A target that is disabled
    /// gets no message: the result lists none.
    /// </summary>
    /// <param name="webhookId">The target webhook, or <see langword="null"/> for the tenant's default.</param>
    /// <param name="webhookEvent">The event.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <exception cref="WebhookNotFoundException">
    /// <paramref name="webhookId"/> names no webhook of the event's tenant (there is no fallback to the default for a named
    /// target), or it is <see langword="null"/> and the tenant has no default webhook.
    /// </exception>
    /// <exception cref="ArgumentException">The event's id, type, tenant id or data is not valid (<see cref="WebhookEvent.Validate"/>).</exception>
    ValueTask<PublishResult> PublishToAsync(string? webhookId, WebhookEvent webhookEvent, CancellationToken cancellationToken = default);
}
