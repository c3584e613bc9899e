using Webhooks.Core;

namespace Webhooks.Samples.Quickstart;

/// <summary>Prints the library's operational notifications: what a host would turn into alerts or e-mails.</summary>
internal sealed class ConsoleNotifications(IWebhookEndpoints endpoints) : IWebhookNotificationHandler
{
    public async ValueTask HandleAsync(WebhookNotification notification, CancellationToken cancellationToken)
    {
        var webhook = await endpoints.GetAsync(notification.WebhookId, cancellationToken);
        Console.WriteLine($"  !! {notification.Kind} '{webhook?.Name}': {notification.Reason}");
    }
}
