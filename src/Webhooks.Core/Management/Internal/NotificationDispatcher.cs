using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Webhooks.Core.Internal;

/// <summary>
/// Hands notifications to every registered handler; a failing handler is logged and skipped. Handlers are resolved on
/// first use, so a handler may itself depend on the library's services (to look the webhook up, say).
/// </summary>
internal sealed class NotificationDispatcher(IServiceProvider services, ILogger<NotificationDispatcher> logger)
{
    private readonly Lazy<IWebhookNotificationHandler[]> _handlers = new(() => [.. services.GetServices<IWebhookNotificationHandler>()]);

    public async ValueTask RaiseAsync(WebhookNotification notification, CancellationToken cancellationToken)
    {
        foreach (var handler in _handlers.Value)
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
