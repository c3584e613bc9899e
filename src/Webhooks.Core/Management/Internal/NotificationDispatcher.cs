using Microsoft.Extensions.Logging;

namespace Webhooks.Core.Internal;

/// <summary>Hands notifications to every registered handler; a failing handler is logged and skipped.</summary>
internal sealed class NotificationDispatcher(IEnumerable<IWebhookNotificationHandler> handlers, ILogger<NotificationDispatcher> logger)
{
    private readonly IWebhookNotificationHandler[] _handlers = [.. handlers];

    public async ValueTask RaiseAsync(WebhookNotification notification, CancellationToken cancellationToken)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                await handler.HandleAsync(notification, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.NotificationHandlerFailed(logger, ex, notification.Kind, notification.WebhookId);
            }
        }
    }
}
