namespace Webhooks.Core;

/// <summary>
/// Receives the library's operational notifications. Register any number in DI, with any lifetime: each notification
/// is handled in a DI scope of its own. Notifications are handled one after the other, in the order they were raised,
/// in the background: a slow handler delays later notifications, never deliveries. A handler that throws is logged and
/// does not affect delivery or other handlers. (One whose constructor throws is logged too; as the container makes a
/// notification's handlers together, that notification then reaches none of them.) At shutdown the handlers may finish
/// what was raised until the host's shutdown timeout, when the token passed to them is cancelled.
/// </summary>
public interface IWebhookNotificationHandler
{
    /// <summary>Handles one notification.</summary>
    /// <param name="notification">The notification.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    ValueTask HandleAsync(WebhookNotification notification, CancellationToken cancellationToken);
}
