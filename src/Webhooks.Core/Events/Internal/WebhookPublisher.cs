using System.Text.Json;

namespace Webhooks.Core.Internal;

/// <summary>Routes events to matching webhooks and stores one message per webhook, then wakes the dispatcher.</summary>
internal sealed class WebhookPublisher(
    IWebhookStore store,
    FilterCache filters,
    DispatchSignal signal,
    TimeProvider timeProvider,
    WebhooksTelemetry telemetry) : IWebhookPublisher
{
    public async ValueTask<PublishResult> PublishAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken = default)
    {
        Validate(webhookEvent);
        var configs = await store.GetTenantConfigsAsync(webhookEvent.TenantId, cancellationToken).ConfigureAwait(false);
        // Data that routing parsed for a filter is JSON: writing the payload need not validate it again.
        var targets = Route(webhookEvent, configs, filters, out var parsed);
        return await StoreAsync(webhookEvent, targets ?? [], parsed, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<PublishResult> PublishToAsync(string? webhookId, WebhookEvent webhookEvent, CancellationToken cancellationToken = default)
    {
        Validate(webhookEvent);
        WebhookConfig? target;
        if (webhookId is not null)
        {
            target = await store.GetConfigAsync(webhookId, cancellationToken).ConfigureAwait(false);
            if (target is null || !string.Equals(target.TenantId, webhookEvent.TenantId, StringComparison.Ordinal))
            {
                throw new WebhookNotFoundException($"Webhook '{webhookId}' does not exist for tenant '{webhookEvent.TenantId ?? "(default)"}'.");
            }
        }
        else
        {
            var configs = await store.GetTenantConfigsAsync(webhookEvent.TenantId, cancellationToken).ConfigureAwait(false);
            // Two instances claiming the default at once both store their claim for a moment: the one that stays is
            // the later claim, not the first in the store's order.
            target = WebhookEndpoints.LastClaimed(configs.Where(static c => c.IsDefault))
                ?? throw new WebhookNotFoundException($"Tenant '{webhookEvent.TenantId ?? "(default)"}' has no default webhook.");
        }

        WebhookConfig[] targets = target.State == WebhookState.Enabled ? [target] : [];
        return await StoreAsync(webhookEvent, targets, dataIsJson: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Picks the enabled webhooks whose event types and filter match. The event data is parsed at most once, and only
    /// for a filter; <paramref name="parsed"/> tells whether it was, which proves it is JSON.
    /// </summary>
    private static List<WebhookConfig>? Route(WebhookEvent webhookEvent, IReadOnlyList<WebhookConfig> configs, FilterCache filters, out bool parsed)
    {
        List<WebhookConfig>? targets = null;
        JsonDocument? data = null;
        try
        {
            for (var i = 0; i < configs.Count; i++)
            {
                var config = configs[i];
                if (config.State != WebhookState.Enabled)
                {
                    continue;
                }

                if (config.EventTypes.Count > 0 && !EventTypePattern.MatchesAny(config.EventTypes, webhookEvent.Type))
                {
                    continue;
                }

                if (!string.IsNullOrWhiteSpace(config.EventFilter))
                {
                    data ??= ParseData(webhookEvent);
                    if (filters.Get(config.Id, config.EventFilter) is not { } filter || !filter.Matches(webhookEvent.Type, data.RootElement))
                    {
                        continue;
                    }
                }
                else if (config.EventTypes.Count == 0)
                {
                    continue;
                }

                (targets ??= new List<WebhookConfig>(configs.Count - i)).Add(config);
            }
        }
        finally
        {
            parsed = data is not null;
            data?.Dispose();
        }

        return targets;
    }

    private async ValueTask<PublishResult> StoreAsync(WebhookEvent webhookEvent, IReadOnlyList<WebhookConfig> targets, bool dataIsJson, CancellationToken cancellationToken)
    {
        // Checked as Validate checks it, whichever webhooks match (the payload writer would take strings a filter cannot
        // read), and when none does, so that a host publishing broken data hears of it before anyone subscribes.
        webhookEvent.ValidateData(syntaxChecked: dataIsJson);
        if (targets.Count == 0)
        {
            return new PublishResult(webhookEvent.Id, [], 0);
        }

        var now = timeProvider.GetUtcNow();
        var payload = WebhookPayload.Create(
            webhookEvent.Type, webhookEvent.Timestamp ?? now, webhookEvent.Data.Span, dataIsJson: true, shared: store is InMemoryWebhookStore);
        var messages = new DeliveryMessage[targets.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = new DeliveryMessage
            {
                Id = Ids.NewMessageId(now),
                WebhookId = targets[i].Id,
                TenantId = webhookEvent.TenantId,
                EventId = webhookEvent.Id,
                EventType = webhookEvent.Type,
                Payload = payload,
                Status = MessageStatus.Created,
                NextAttemptAt = now,
                CreatedAt = now,
            };
        }

        var stored = await store.EnqueueAsync(messages, cancellationToken).ConfigureAwait(false);
        if (stored.Count > 0)
        {
            telemetry.MessagesPublished.Add(stored.Count);
            signal.Notify();
        }

        return new PublishResult(webhookEvent.Id, stored, messages.Length - stored.Count);
    }

    private static JsonDocument ParseData(WebhookEvent webhookEvent)
    {
        try
        {
            return JsonDocument.Parse(webhookEvent.Data);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The event data is not valid JSON: {ex.Message}", nameof(webhookEvent), ex);
        }
    }

    private static void Validate(WebhookEvent webhookEvent)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);

        // The data is checked as the payload is written, or on its own when no webhook takes the event.
        webhookEvent.ValidateKeys();
    }
}
