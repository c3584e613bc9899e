using Webhooks.Core.Internal;

namespace Webhooks.Core;

/// <content>Bulk operations on messages: resuming held ones, recovering failed ones, expiring and purging.</content>
public sealed partial class InMemoryWebhookStore
{
    /// <inheritdoc/>
    public ValueTask<int> ResumeHeldAsync(string webhookId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhookId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_messageLock)
        {
            if (!_webhookMessages.TryGetValue(webhookId, out var webhook))
            {
                return new(0);
            }

            var resumed = webhook.Held.Count;
            foreach (var entry in webhook.Held)
            {
                entry.Message = entry.Message with { NextAttemptAt = now };
                _dueIndex.Schedule(entry, now.UtcTicks);
            }

            webhook.Held.Clear();
            return new(resumed);
        }
    }

    /// <inheritdoc/>
    public ValueTask<int> RequeueFailedAsync(string webhookId, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhookId);
        cancellationToken.ThrowIfCancellationRequested();
        var requeued = 0;
        lock (_messageLock)
        {
            if (_webhookMessages.TryGetValue(webhookId, out var webhook))
            {
                var messages = webhook.ByCreation;
                for (var i = webhook.IndexOfCreatedAtOrAfter(since); i < messages.Count; i++)
                {
                    var entry = messages[i];
                    if (entry.Message.Status == MessageStatus.Failed)
                    {
                        Unindex(entry, webhook);
                        entry.Message = entry.Message with { Status = MessageStatus.Retrying, StatusReason = MessageLifecycle.RetryRequestedReason, NextAttemptAt = now };
                        Index(entry, webhook);
                        requeued++;
                    }
                }
            }
        }

        return new(requeued);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<DeliveryMessage>> FailExpiredHeldAsync(DateTimeOffset createdBefore, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reason);
        cancellationToken.ThrowIfCancellationRequested();
        var failed = new List<DeliveryMessage>();
        var expired = new List<MessageEntry>();
        lock (_messageLock)
        {
            foreach (var webhook in _webhookMessages.Values)
            {
                foreach (var entry in webhook.Held)
                {
                    // A retry the user asked for (a recovery after a long outage) waits for its webhook whatever its age.
                    if (entry.Message.CreatedAt < createdBefore && !MessageLifecycle.IsRetryRequested(entry.Message))
                    {
                        expired.Add(entry);
                    }
                }

                foreach (var entry in expired)
                {
                    Unindex(entry, webhook);
                    entry.Message = entry.Message with { Status = MessageStatus.Failed, StatusReason = reason, NextAttemptAt = null };
                    Index(entry, webhook);
                    failed.Add(entry.Message);
                }

                expired.Clear();
            }

            EvictFinishedOverflow();
        }

        return new(failed);
    }

    /// <inheritdoc/>
    public ValueTask<int> PurgeAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var purged = new List<MessageEntry>();
        lock (_messageLock)
        {
            foreach (var (webhookId, webhook) in _webhookMessages)
            {
                // A message cancelled during its attempt is finished but still leased: it goes once its lease does.
                webhook.RemoveCreatedBefore(createdBefore, static entry => entry.Message.IsFinished && entry.Placement != MessagePlacement.Leased, purged);
                if (webhook.Count == 0)
                {
                    _webhookMessages.Remove(webhookId);
                }
            }

            foreach (var entry in purged)
            {
                Forget(entry);
                UncountFinished(entry);
            }
        }

        return new(purged.Count);
    }
}
