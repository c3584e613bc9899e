using System.Collections.Concurrent;

namespace Webhooks.Core.Internal;

/// <summary>
/// One webhook's share of the dispatcher: the slots of its concurrency limit, and the claimed attempts waiting for one.
/// A waiting attempt holds no worker: the worker that frees a slot runs the next one. When the webhook is slow (its
/// attempts take over <see cref="SlowAttempt"/>, or it has had attempts waiting for every slot that long), at most
/// <c>waitLimit</c> attempts wait, no more than it sends in half a lease, and no more than leaves the slow webhooks
/// together within their <see cref="SlowShare"/> of the capacity: the others are put off, spread over the time it takes to
/// send them, so that slow endpoints with a backlog do not hold the capacity of every other webhook for minutes, and no
/// attempt waits so long that its lease lapses. A fast webhook's queue is not bounded: what waits for it is sent within
/// moments, and putting it off would cost more than the wait.
/// </summary>
/// <param name="slots">How many attempts of the webhook may run at once.</param>
/// <param name="waitLimit">How many claimed attempts of a slow webhook may wait for a slot.</param>
/// <param name="leaseDuration">How long a claim's lease lasts: a slow webhook lets wait only what it sends in half of it.</param>
/// <param name="share">What the slow webhooks hold of the capacity together, and how much they may.</param>
/// <param name="timeProvider">The clock that tells how long attempts have waited for every slot.</param>
internal sealed class WebhookLane(int slots, int waitLimit, TimeSpan leaseDuration, SlowShare share, TimeProvider timeProvider)
{
    /// <summary>How long an attempt takes (smoothed), or attempts wait for every slot, for a webhook to be slow.</summary>
    internal static readonly TimeSpan SlowAttempt = TimeSpan.FromSeconds(1);

    // The shortest and longest a message of a slow webhook is put off.
    private static readonly long MinPostponeTicks = TimeSpan.FromSeconds(1).Ticks;
    private static readonly long MaxPostponeTicks = TimeSpan.FromMinutes(5).Ticks;

    private readonly int _slots = slots;
    private readonly ConcurrentQueue<ReadyAttempt> _waiting = new();
    private int _free = slots;
    private int _waitingCount;
    private int _postponed;

    // How long an attempt of this webhook takes, smoothed; none until one was made.
    private long _attemptTicks;

    // Since when every slot has been taken (a TimeProvider timestamp): from the last free slot taken, kept while a slot
    // given back goes at once to an attempt waiting for it; 0 once a slot is left free.
    private long _fullSince;

    // What this lane counts in the slow webhooks' share: its slots taken and attempts waiting while it is slow, else 0.
    private int _inShare;

    /// <summary>Gets a value indicating whether no attempt runs or waits.</summary>
    public bool IsIdle => Volatile.Read(ref _free) == _slots && _waiting.IsEmpty;

    /// <summary>Takes a slot if one is free.</summary>
    public bool TryEnter()
    {
        if (!TryTakeSlot())
        {
            return false;
        }

        // A slot free at once: the webhook keeps up, and what is put off next starts a new spread.
        Volatile.Write(ref _postponed, 0);
        Publish();
        return true;
    }

    /// <summary>Gives a slot back.</summary>
    public void Exit()
    {
        // Handed on to a waiting attempt, the slot is not left free: the webhook has had every slot taken all along.
        if (_waiting.IsEmpty)
        {
            Volatile.Write(ref _fullSince, 0);
        }

        Interlocked.Increment(ref _free);
        Publish();
    }

    /// <summary>Notes how long an attempt took: whether the webhook is slow, and for <see cref="NextPostponement"/>.</summary>
    public void NoteAttempt(TimeSpan duration)
    {
        // A benign race: concurrent notes may each miss the other's sample.
        var smoothed = Volatile.Read(ref _attemptTicks);
        Volatile.Write(ref _attemptTicks, smoothed + ((Math.Max(0, duration.Ticks) - smoothed) / 8));
    }

    /// <summary>Queues an attempt for the next free slot, unless the webhook is slow and as many wait as it allows.</summary>
    public bool TryWait(ReadyAttempt attempt)
    {
        var waiting = Interlocked.Increment(ref _waitingCount);
        var slow = IsSlow;
        if (slow && (waiting > WaitLimit || Publish(slow) > share.Limit))
        {
            Interlocked.Decrement(ref _waitingCount);
            Publish(slow);
            return false;
        }

        _waiting.Enqueue(attempt);
        Publish(slow);
        return true;
    }

    /// <summary>Queues an attempt for the next free slot whatever the limit: one that cannot be put off.</summary>
    public void WaitAnyway(ReadyAttempt attempt)
    {
        Interlocked.Increment(ref _waitingCount);
        _waiting.Enqueue(attempt);
        Publish();
    }

    /// <summary>
    /// Takes the next waiting attempt together with a slot for it; <see langword="false"/> when none waits or no slot
    /// is free. Called after a slot is given back and after an attempt is queued, so that neither misses the other.
    /// </summary>
    public bool TryTakeWaiting(out ReadyAttempt attempt)
    {
        // Looked at again after a slot taken for nothing is given back: a shedding that held the queue's only attempt
        // out of it for a moment may have put it back meanwhile, and found the slot taken, so it left the attempt here.
        while (!_waiting.IsEmpty && TryTakeSlot())
        {
            if (_waiting.TryDequeue(out attempt))
            {
                Interlocked.Decrement(ref _waitingCount);
                Publish();
                return true;
            }

            Exit();
        }

        attempt = default;
        return false;
    }

    /// <summary>
    /// Takes, without a slot, an attempt a slow webhook has waiting beyond what it may (one queued while it still
    /// seemed fast), to be put off.
    /// </summary>
    public bool TryShed(out ReadyAttempt attempt)
    {
        attempt = default;
        if (!IsSlow || (Volatile.Read(ref _waitingCount) <= WaitLimit && Publish(slow: true) <= share.Limit) || !_waiting.TryDequeue(out attempt))
        {
            return false;
        }

        Interlocked.Decrement(ref _waitingCount);
        Publish(slow: true);
        return true;
    }

    /// <summary>
    /// Counts this lane in the slow webhooks' share as it is now (its slots taken and attempts waiting while it is slow,
    /// else nothing), and returns what they hold together. Called as the lane changes, and by the dispatcher for a lane
    /// that turned slow with nothing changing (its attempts simply taking long).
    /// </summary>
    public int Publish() => Publish(IsSlow);

    /// <summary>Counts this lane in the slow webhooks' share as <see cref="Publish()"/> does, its slowness just judged by the caller.</summary>
    private int Publish(bool slow)
    {
        var now = slow ? _slots - Volatile.Read(ref _free) + Volatile.Read(ref _waitingCount) : 0;
        if (now == 0 && Volatile.Read(ref _inShare) == 0)
        {
            return share.Held; // A fast webhook's lane, as most are: nothing to count.
        }

        var before = Interlocked.Exchange(ref _inShare, now);
        return now == before ? share.Held : share.Add(now - before);
    }

    /// <summary>
    /// How many attempts a slow webhook lets wait: its limit, but no more than its slots send in half a lease, so that
    /// the last of them starts with its lease still held (and renewed as it starts).
    /// </summary>
    private int WaitLimit
    {
        get
        {
            var perAttempt = Math.Max(Volatile.Read(ref _attemptTicks), SlowAttempt.Ticks);
            return (int)Math.Min(waitLimit, _slots * (leaseDuration.Ticks / 2) / perAttempt);
        }
    }

    /// <summary>
    /// How long to put off the next message of a slow webhook: each one a slot's share of an attempt later than the one
    /// before, so that they come back about as fast as the webhook takes them.
    /// </summary>
    public TimeSpan NextPostponement()
    {
        var nth = Interlocked.Increment(ref _postponed);
        var ticks = (double)nth * Math.Max(Volatile.Read(ref _attemptTicks), SlowAttempt.Ticks) / _slots;
        return TimeSpan.FromTicks((long)Math.Clamp(ticks, MinPostponeTicks, MaxPostponeTicks));
    }

    private bool IsSlow =>
        Volatile.Read(ref _attemptTicks) > SlowAttempt.Ticks
        || (Volatile.Read(ref _fullSince) is var since and not 0 && timeProvider.GetElapsedTime(since) > SlowAttempt);

    private bool TryTakeSlot()
    {
        var free = Volatile.Read(ref _free);
        while (free > 0)
        {
            var seen = Interlocked.CompareExchange(ref _free, free - 1, free);
            if (seen == free)
            {
                if (free == 1)
                {
                    // Kept when the slot was handed on (Exit left the time as it was).
                    Interlocked.CompareExchange(ref _fullSince, timeProvider.GetTimestamp(), 0);
                }
                else
                {
                    Volatile.Write(ref _fullSince, 0);
                }

                return true;
            }

            free = seen;
        }

        return false;
    }
}

/// <summary>
/// What the slow webhooks hold of the dispatcher's capacity together (their slots taken and attempts waiting), and how
/// much they may: each lane counts itself in as it changes. Attempts of a slow webhook beyond it are put off rather than
/// queued, so that however many webhooks are slow, the rest of the capacity serves the others.
/// </summary>
/// <param name="limit">How much of the capacity the slow webhooks may hold with waiting attempts.</param>
internal sealed class SlowShare(int limit)
{
    private int _held;

    /// <summary>Gets how much the slow webhooks may hold before their further attempts are put off.</summary>
    public int Limit { get; } = limit;

    /// <summary>Gets what the slow webhooks hold now.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Adds a lane's change and returns what they hold now.</summary>
    public int Add(int change) => Interlocked.Add(ref _held, change);
}
