using Webhooks.Core;

namespace Webhooks.Samples.Quickstart;

/// <summary>Prints a webhook's delivery log as a table.</summary>
internal static class DeliveryTable
{
    public static async Task<bool> AllSettledAsync(IDeliveryLog log, params string[] webhookIds)
    {
        foreach (var id in webhookIds)
        {
            var page = await log.ListAsync(new MessageQuery { WebhookId = id, Limit = 100 });
            if (page.Items.Any(m => !m.IsFinished))
            {
                return false;
            }
        }

        return true;
    }

    public static async Task PrintAsync(IWebhookEndpoints endpoints, IDeliveryLog log, string webhookId)
    {
        var webhook = (await endpoints.GetAsync(webhookId))!;
        var page = await log.ListAsync(new MessageQuery { WebhookId = webhookId, Limit = 100 });
        Console.WriteLine($"Webhook '{webhook.Name}'  {webhook.State}/{webhook.Status}  \"{webhook.StatusReason}\"  {page.Total} messages");
        Console.WriteLine($"  {"event",-14} {"type",-14} {"status",-10} {"attempts",8}  {"last answer",-11}  {"next attempt",-12}");
        foreach (var message in page.Items.OrderBy(m => m.CreatedAt).ThenBy(m => m.EventId, StringComparer.Ordinal))
        {
            var answer = message.LastAttempt is { } last ? last.StatusCode?.ToString() ?? "no answer" : "-";
            var next = message.IsFinished ? "-" : message.NextAttemptAt is { } at ? at.ToString("HH:mm:ss.fff") : "held";
            Console.WriteLine($"  {message.EventId,-14} {message.EventType,-14} {message.Status,-10} {message.AttemptCount,8}  {answer,-11}  {next,-12}");
        }

        Console.WriteLine();
    }
}
