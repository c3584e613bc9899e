using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Webhooks.Core.Internal;

namespace Webhooks.Core;

/// <content>Keeping a message's entry in the right index as its state changes. Callers hold <c>_messageLock</c>.</content>
public sealed partial class InMemoryWebhookStore
{
    private static DeliveryMessage WithStoredIdentity(DeliveryMessage stored, DeliveryMessage changed)
    {
        var sameIdentity = string.Equals(stored.Id, changed.Id, StringComparison.Ordinal)
            && string.Equals(stored.WebhookId, changed.WebhookId, StringComparison.Ordinal)
            && string.Equals(stored.TenantId, changed.TenantId, StringComparison.Ordinal)
            && string.Equals(stored.EventId, changed.EventId, StringComparison.Ordinal)
            && string.Equals(stored.EventType, changed.EventType, StringComparison.Ordinal)
            && stored.CreatedAt.EqualsExact(changed.CreatedAt)
            && stored.Payload.Equals(changed.Payload);
        return sameIdentity
            ? changed
            : stored with
            {
                Status = changed.Status,
                StatusReason = changed.StatusReason,
                AttemptCount = changed.AttemptCount,
                NextAttemptAt = changed.NextAttemptAt,
                LastAttempt = changed.LastAttempt,
            };
    }

    private WebhookMessages WebhookMessagesOf(string webhookId)
    {
        if (!_webhookMessages.TryGetValue(webhookId, out var webhook))
        {
            webhook = new WebhookMessages();
            _webhookMessages.Add(webhookId, webhook);
        }

        return webhook;
    }

    /// <summary>Indexes an entry in no index by its message: due, held, or (finished) nowhere.</summary>
    private void Index(MessageEntry entry, WebhookMessages? webhook = null)
    {
        var message = entry.Message;
        if (message.IsFinished)
        {
            CountFinished(entry);
            return;
        }

        UncountFinished(entry);

        if (message.NextAttemptAt is { } dueAt)
        {
            _dueIndex.Schedule(entry, dueAt.UtcTicks);
            return;
        }

        entry.Placement = MessagePlacement.Held;
        (webhook ?? _webhookMessages[message.WebhookId]).Held.Add(entry);
    }

    /// <summary>Takes an entry out of its index and releases its lease.</summary>
    private void Unindex(MessageEntry entry, WebhookMessages? webhook = null)
    {
        if (entry.Placement == MessagePlacement.Held)
        {
            (webhook ?? _webhookMessages[entry.Message.WebhookId]).Held.Remove(entry);
            entry.Placement = MessagePlacement.None;
        }
        else
        {
            _dueIndex.Remove(entry);
        }
    }

    private void RemoveWebhookMessages(string webhookId)
    {
        if (_webhookMessages.Remove(webhookId, out var webhook))
        {
            RemoveEntries(webhook.ByCreation, webhook);
        }
    }

    /// <summary>Forgets a message by id, and its event once no message of it is left.</summary>
    private void Forget(MessageEntry entry)
    {
        _messages.Remove(entry.Message.Id);
        var key = EventKey.Of(entry.Message);
        ref var count = ref CollectionsMarshal.GetValueRefOrNullRef(_events, key);
        if (!Unsafe.IsNullRef(ref count) && --count == 0)
        {
            _events.Remove(key);
        }
    }

    /// <summary>Forgets entries, as if never stored.</summary>
    private void RemoveEntries(IReadOnlyList<MessageEntry>? entries, WebhookMessages? removedWebhook = null)
    {
        if (entries is null)
        {
            return;
        }

        foreach (var entry in entries)
        {
            Forget(entry);
            UncountFinished(entry);
            Unindex(entry, removedWebhook);
            if (removedWebhook is null)
            {
                _webhookMessages[entry.Message.WebhookId].Remove(entry);
            }
        }
    }
}
