namespace Webhooks.Core;

/// <summary>
/// Receives the library's operational notifications. Register any number in DI. A handler that throws is
/// logged and does not affect delivery or other handlers.
/// </summary>
public interface IWebhookNotificationHandler
{
    /// <summary>Handles one notification.</summary>
    /// <param name="notification">The notification.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    ValueTask HandleAsync(WebhookNotification notification, CancellationToken cancellationToken);
}
