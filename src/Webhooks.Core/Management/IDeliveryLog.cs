namespace Webhooks.Core;

/// <summary>Reads a webhook's delivery log and acts on its messages.</summary>
public interface IDeliveryLog
{
    /// <summary>Lists messages of a webhook, newest first.</summary>
    /// <param name="query">The filters and page.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <exception cref="ArgumentNullException">The query names no webhook.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Its status is not a <see cref="MessageStatus"/>, or its page is negative.</exception>
    Task<WebhookPage<DeliveryMessage>> ListAsync(MessageQuery query, CancellationToken cancellationToken = default);

    /// <summary>Reads a message of a webhook with all its attempts.</summary>
    /// <param name="webhookId">The webhook id.</param>
    /// <param name="messageId">The message id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The message, or <see langword="null"/> when the webhook has no such message.</returns>
    Task<DeliveryMessageDetail?> GetAsync(string webhookId, string messageId, CancellationToken cancellationToken = default);

    /// <summary>Attempts a <see cref="MessageStatus.Retrying"/> or <see cref="MessageStatus.Failed"/> message at once.</summary>
    /// <param name="webhookId">The webhook id.</param>
    /// <param name="messageId">The message id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <exception cref="WebhookNotFoundException">The webhook has no such message.</exception>
    /// <exception cref="InvalidTransitionException">The message is in another status.</exception>
    Task<DeliveryMessage> RetryAsync(string webhookId, string messageId, CancellationToken cancellationToken = default);

    /// <summary>Cancels a <see cref="MessageStatus.Created"/> or <see cref="MessageStatus.Retrying"/> message.</summary>
    /// <param name="webhookId">The webhook id.</param>
    /// <param name="messageId">The message id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <exception cref="WebhookNotFoundException">The webhook has no such message.</exception>
    /// <exception cref="InvalidTransitionException">The message is in another status.</exception>
    Task<DeliveryMessage> CancelAsync(string webhookId, string messageId, CancellationToken cancellationToken = default);

    /// <summary>Re-queues the webhook's failed messages created since <paramref name="since"/>.</summary>
    /// <param name="webhookId">The webhook id.</param>
    /// <param name="since">The earliest creation time to recover.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>How many messages were re-queued.</returns>
    /// <exception cref="WebhookNotFoundException">There is no such webhook.</exception>
    Task<int> RecoverAsync(string webhookId, DateTimeOffset since, CancellationToken cancellationToken = default);
}
