using System.Runtime.CompilerServices;

namespace Webhooks.Core.Internal;

/// <content>Lanes: each webhook's concurrency limit, the attempts waiting for a slot, and slow webhooks' attempts put off.</content>
internal sealed partial class WebhookDispatcher
{
    /// <summary>
    /// Runs a claimed attempt within its webhook's limit: at once when a slot is free; else queued for the next free
    /// slot, holding no worker; or, when as many wait as the lane allows, put off (<see cref="WebhookLane"/>).
    /// The worker that gives a slot back runs the attempts queued for it.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask RunInLaneAsync(ReadyAttempt ready)
    {
        var lane = _lanes.GetOrAdd(ready.Config.Id, static (_, dispatcher) => dispatcher.NewLane(), this);
        if (!lane.TryEnter())
        {
            if (!lane.TryWait(ready))
            {
                // Put off, unless that would take it past its maximum age (it was claimed in time, so it waits), or
                // this process changed a message since the claim (it waits, to be read again before its attempt).
                if (MayPostpone(ready) && PostponedUntil(ready.Lease, lane.NextPostponement()) is { } until)
                {
                    Postpone(ready.Lease, until);
                    return;
                }

                lane.WaitAnyway(ready);
            }

            Interlocked.Increment(ref _laneWaiting);

            // A slot given back while this attempt was being queued: that worker may have looked before it was.
            if (!TakeWaiting(lane, out ready))
            {
                return;
            }
        }

        do
        {
            try
            {
                await AttemptAsync(ready, lane).ConfigureAwait(false);
            }
            finally
            {
                lane.Exit();
            }
        }
        while (TakeWaiting(lane, out ready));
    }

    /// <summary>
    /// A webhook's lane: its slots, and, when it is slow, room for claimed attempts to wait within half the dispatcher's
    /// capacity (workers and prefetch), which the slow webhooks share, so that the other half serves the other webhooks.
    /// </summary>
    private WebhookLane NewLane()
    {
        var slots = _options.MaxConcurrencyPerWebhook;
        // Its slots count against that half too: with a limit above a quarter of the capacity none may wait.
        return new WebhookLane(slots, Math.Max(0, _slowShare.Limit - slots), _options.LeaseDuration, _slowShare, _timeProvider);
    }

    /// <summary>Takes the lane's next waiting attempt with a slot, after putting off what a slow webhook has waiting in excess.</summary>
    private bool TakeWaiting(WebhookLane lane, out ReadyAttempt ready)
    {
        Shed(lane);
        if (!lane.TryTakeWaiting(out ready))
        {
            NotifyIfCapacityFree();
            return false;
        }

        Interlocked.Decrement(ref _laneWaiting);

        // The attempt just finished freed a place in the capacity (this worker runs the waiting one in its stead): the
        // claim loop may be waiting for it.
        NotifyIfCapacityFree();
        return true;
    }

    private void NotifyIfCapacityFree()
    {
        if (FreeCapacity >= _claimThreshold)
        {
            _capacity.Notify();
        }
    }

    /// <summary>Puts off the attempts slow webhooks have waiting in excess: when the capacity is taken, some may be theirs.</summary>
    private void ShedSlowLanes()
    {
        // A webhook turns slow with nothing changing in its lane (its attempts simply take long): each is counted in the
        // slow webhooks' share as it is now before any is shed.
        var lanes = _lanes.Values;
        foreach (var lane in lanes)
        {
            lane.Publish();
        }

        foreach (var lane in lanes)
        {
            if (!Shed(lane))
            {
                continue;
            }

            // What Shed kept was out of the lane for a moment: a worker giving a slot back then found none waiting and
            // left. As many as there are free slots go through the ready queue again (the slots held meanwhile, so that
            // no more go than can start).
            var moved = 0;
            while (lane.TryTakeWaiting(out var stranded))
            {
                moved++;
                Interlocked.Decrement(ref _laneWaiting);
                _ready.Enqueue(stranded);
                Interlocked.Increment(ref _readyCount);
            }

            for (; moved > 0; moved--)
            {
                lane.Exit();
            }

            StartWorkers();
        }
    }

    /// <summary>
    /// Puts off what a slow webhook has waiting in excess, but for those that may not be put off: too close to their
    /// maximum age (claimed in time, they wait), or claimed before a change this process made. Returns whether it kept any.
    /// </summary>
    private bool Shed(WebhookLane lane)
    {
        List<ReadyAttempt>? kept = null;
        while (lane.TryShed(out var excess))
        {
            if (MayPostpone(excess) && PostponedUntil(excess.Lease, lane.NextPostponement()) is { } until)
            {
                Interlocked.Decrement(ref _laneWaiting);
                Postpone(excess.Lease, until);
            }
            else
            {
                (kept ??= []).Add(excess);
            }
        }

        foreach (var attempt in kept ?? [])
        {
            lane.WaitAnyway(attempt);
        }

        return kept is not null;
    }

    /// <summary>
    /// Whether a claimed attempt may be put off: the message is written back as claimed, with a later time, so not once
    /// this process has changed a message since the claim (a user's retry or cancel would be undone).
    /// </summary>
    private bool MayPostpone(ReadyAttempt ready) => _signal.Changes == ready.ChangesAtClaim;

    /// <summary>
    /// When a message put off by <paramref name="delay"/> is due again: no later than a margin before its maximum age
    /// (a hundredth of it, at most a minute), so that the claim that takes it does not find it expired; <see langword="null"/>
    /// when even now is past that. A retry the user asked for has no maximum age.
    /// </summary>
    private DateTimeOffset? PostponedUntil(MessageLease lease, TimeSpan delay)
    {
        var now = _timeProvider.GetUtcNow();
        var message = lease.Message;
        if (MessageLifecycle.IsRetryRequested(message))
        {
            return now + delay;
        }

        var latest = Instants.Later(message.CreatedAt, _retry.MaxAge) - _maxAgeMargin;
        return latest <= now ? null : now + delay < latest ? now + delay : latest;
    }

    /// <summary>
    /// Puts a claimed message off, unattempted, and gives its lease back: written only while the message is as claimed,
    /// for another instance may have changed it meanwhile (<see cref="PostponementRefusedAsync"/>).
    /// </summary>
    private void Postpone(MessageLease lease, DateTimeOffset until)
    {
        _outcomes.Add(new MessageOutcome(lease.LeaseId, lease.Message with { NextAttemptAt = until }, null) { Expected = lease.Message });
        NoteNextDue(until);
    }

    /// <summary>
    /// A postponement the store refused, the message having changed since its claim (a retry or a cancel made through
    /// another instance): the change stands. A cancelled message's lease is released; any other is given back due as
    /// it is now, and the claim loop woken to take it.
    /// </summary>
    private async ValueTask PostponementRefusedAsync(MessageOutcome refused, DeliveryMessage current)
    {
        if (current.IsFinished)
        {
            _outcomes.Add(new MessageOutcome(refused.LeaseId, current, null));
            return;
        }

        // Released: its lease ends now.
        await ReleaseAsync(new MessageLease(current, refused.LeaseId, _timeProvider.GetUtcNow())).ConfigureAwait(false);
        _signal.Notify();
    }
}
