using System.Collections.Concurrent;

namespace Webhooks.Core.Internal;

/// <summary>
/// One webhook's share of the dispatcher: the slots of its concurrency limit, and the claimed attempts waiting for one.
/// A waiting attempt holds no worker: the worker that frees a slot runs the next one. When the webhook is slow (its
/// attempts take over <see cref="SlowAttempt"/>, or every slot has been taken for that long), at most
/// <c>waitLimit</c> attempts wait: the others are put off, spread over the time it takes to send them, so that a slow
/// endpoint with a backlog does not hold the capacity of every other webhook for minutes. A fast webhook's queue is not
/// bounded: what waits for it is sent within moments, and putting it off would cost more than the wait.
/// </summary>
/// <param name="slots">How many attempts of the webhook may run at once.</param>
/// <param name="waitLimit">How many claimed attempts of a slow webhook may wait for a slot.</param>
/// <param name="timeProvider">The clock that tells how long every slot has been taken.</param>
internal sealed class WebhookLane(int slots, int waitLimit, TimeProvider timeProvider)
{
    /// <summary>How long an attempt takes (smoothed), or every slot stays taken, for a webhook to be slow.</summary>
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

    // When the last free slot was taken (a TimeProvider timestamp); 0 while a slot is free.
    private long _fullSince;

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
        return true;
    }

    /// <summary>Gives a slot back.</summary>
    public void Exit()
    {
        Volatile.Write(ref _fullSince, 0);
        Interlocked.Increment(ref _free);
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
        if (Interlocked.Increment(ref _waitingCount) > waitLimit && IsSlow)
        {
            Interlocked.Decrement(ref _waitingCount);
            return false;
        }

        _waiting.Enqueue(attempt);
        return true;
    }

    /// <summary>Queues an attempt for the next free slot whatever the limit: one that cannot be put off.</summary>
    public void WaitAnyway(ReadyAttempt attempt)
    {
        Interlocked.Increment(ref _waitingCount);
        _waiting.Enqueue(attempt);
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
        if (Volatile.Read(ref _waitingCount) <= waitLimit || !IsSlow || !_waiting.TryDequeue(out attempt))
        {
            return false;
        }

        Interlocked.Decrement(ref _waitingCount);
        return true;
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
                    Volatile.Write(ref _fullSince, timeProvider.GetTimestamp());
                }

                return true;
            }

            free = seen;
        }

        return false;
    }
}
