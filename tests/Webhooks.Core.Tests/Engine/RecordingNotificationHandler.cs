using System.Collections.Concurrent;

namespace Webhooks.Core.Tests.Engine;

internal sealed class RecordingNotificationHandler : IWebhookNotificationHandler
{
    public ConcurrentQueue<WebhookNotification> Received { get; } = new();

    public ValueTask HandleAsync(WebhookNotification notification, CancellationToken cancellationToken)
    {
        Received.Enqueue(notification);
        return ValueTask.CompletedTask;
    }

    public IEnumerable<WebhookNotificationKind> Kinds(string webhookId) =>
        Received.Where(n => n.WebhookId == webhookId).Select(n => n.Kind);
}
