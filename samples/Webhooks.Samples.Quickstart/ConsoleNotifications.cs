using Webhooks.Core;

namespace Webhooks.Samples.Quickstart;

/// <summary>Prints the library's operational notifications: what a host would turn into alerts or e-mails.</summary>
internal sealed class ConsoleNotifications : IWebhookNotificationHandler
{
    public ValueTask HandleAsync(WebhookNotification notification, CancellationToken cancellationToken)
    {
        Console.WriteLine($"  !! {notification.Kind}: webhook {notification.WebhookId[..12]}…  {notification.Reason}");
        return ValueTask.CompletedTask;
    }
}
