using Webhooks.Core.Internal;

namespace Webhooks.Core;

/// <content>Delivery: claiming due messages under a lease, renewing leases and completing attempts.</content>
public sealed partial class InMemoryWebhookStore
{
    /// <inheritdoc/>
    /// <remarks>Costs O(k log m) for k messages claimed, m being the messages due within about a minute of <paramref name="now"/>.</remarks>
    public ValueTask<IReadOnlyList<MessageLease>> ClaimDueAsync(DateTimeOffset now, int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        var expiresAt = now + leaseDuration;
        lock (_messageLock)
        {
            var claimed = _dueIndex.Claim(now, maxCount, expiresAt);
            if (_dueIndex.Unscheduled is { Count: > 0 } unscheduled)
            {
                foreach (var entry in unscheduled)
                {
                    Index(entry);
                }

                unscheduled.Clear();
                EvictFinishedOverflow();
            }

            return new(claimed);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> RenewLeaseAsync(MessageLease lease, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_messageLock)
        {
            if (!_dueIndex.TryGetLeased(lease.LeaseId, lease.Message.Id, out var entry))
            {
                return new(false);
            }

            _dueIndex.Renew(entry, expiresAt.UtcTicks);
            return new(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<int> CompleteAsync(IReadOnlyList<MessageOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        for (var i = 0; i < outcomes.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(outcomes[i]?.Message, nameof(outcomes));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var written = 0;
        lock (_messageLock)
        {
            for (var i = 0; i < outcomes.Count; i++)
            {
                var outcome = outcomes[i];
                if (!_dueIndex.TryGetLeased(outcome.LeaseId, outcome.Message.Id, out var entry))
                {
                    continue;
                }

                Write(entry, outcome);
                written++;
            }

            EvictFinishedOverflow();
        }

        return new(written);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<DeliveryMessage>> CompleteIfUnchangedAsync(IReadOnlyList<MessageOutcome> outcomes, CancellationToken cancellationToken)
    {
        MessageOutcome.ThrowIfInvalidUnattempted(outcomes);
        cancellationToken.ThrowIfCancellationRequested();
        List<DeliveryMessage>? changed = null;
        lock (_messageLock)
        {
            for (var i = 0; i < outcomes.Count; i++)
            {
                var outcome = outcomes[i];
                if (!_dueIndex.TryGetLeased(outcome.LeaseId, outcome.Message.Id, out var entry))
                {
                    continue;
                }

                if (outcome.Expected is { } expected && !entry.Message.HasDeliveryStateOf(expected))
                {
                    (changed ??= []).Add(entry.Message);
                    continue;
                }

                Write(entry, outcome);
            }

            EvictFinishedOverflow();
        }

        return new(changed ?? []);
    }

    /// <summary>Writes the outcome of a leased message, which releases its lease; under the message lock.</summary>
    private void Write(MessageEntry entry, MessageOutcome outcome)
    {
        Unindex(entry);
        entry.Message = Completed(entry.Message, outcome.Message);
        if (!entry.Message.IsFinished && PayloadArena.Holds(entry.Message.Payload))
        {
            // To wait for a retry or held: out of the shared block, which goes with the messages delivered soon.
            entry.Message = entry.Message with { Payload = PayloadArena.Release(entry.Message.Payload) };
        }

        if (outcome.Attempt is { } attempt)
        {
            entry.AddAttempt(attempt);
        }

        Index(entry);
    }

    /// <summary>
    /// The message an outcome leaves: the outcome's, unless the user finished the message while it was leased
    /// (cancelled it); then it stays finished, with the attempt made meanwhile counted.
    /// </summary>
    private static DeliveryMessage Completed(DeliveryMessage stored, DeliveryMessage outcome)
    {
        var completed = WithStoredIdentity(stored, outcome);
        return stored.IsFinished
            ? completed with { Status = stored.Status, StatusReason = stored.StatusReason, NextAttemptAt = stored.NextAttemptAt }
            : completed;
    }
}
