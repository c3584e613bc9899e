using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Webhooks.Core.Internal;

/// <summary>
/// The in-memory store's index of scheduled messages and their leases. A claim costs O(k log m), m being the messages
/// due within a short look-ahead horizon: messages due later wait in a far queue and move to the near queue once, as
/// the horizon reaches them, so millions of future retries do not weigh on the due ones. Leased messages wait in a
/// lease queue until they expire. Changes are lazy: an entry that moves gets a new <see cref="MessageEntry.Version"/>,
/// and queue items of an older version are dropped when they surface or when their queue is compacted.
/// </summary>
/// <remarks>Not thread-safe: the store serialises access under its message lock.</remarks>
internal sealed class DueIndex
{
    /// <summary>How many stale items a queue may hold before compaction is considered.</summary>
    internal const int CompactionThreshold = 1024;

    private static readonly long HorizonTicks = TimeSpan.FromMinutes(1).Ticks;

    private readonly ScheduleQueue _near = new();
    private readonly ScheduleQueue _far = new();
    private readonly ScheduleQueue _leases = new();

    // The leased entries by lease id: as small as the messages in flight, so completions stay in cache however many
    // messages the store holds.
    private readonly Dictionary<Guid, MessageEntry> _leased = [];
    private readonly long _leaseIdPrefix = Random.Shared.NextInt64();
    private readonly List<MessageEntry> _unscheduled = [];
    private long _horizon = long.MinValue;
    private long _leaseSequence;

    /// <summary>Gets how many items the queues hold, stale ones included.</summary>
    public int QueuedCount => _near.QueuedCount + _far.QueuedCount + _leases.QueuedCount;

    /// <summary>Gets how many entries the index holds: scheduled or leased.</summary>
    public int Count => _near.Count + _far.Count + _leases.Count;

    /// <summary>Indexes an unleased, unfinished entry by its next attempt time.</summary>
    /// <param name="entry">The entry, in no index.</param>
    /// <param name="dueAt">Its next attempt time, in UTC ticks.</param>
    public void Schedule(MessageEntry entry, long dueAt)
    {
        if (dueAt <= _horizon)
        {
            entry.Placement = MessagePlacement.Near;
            _near.Add(entry, dueAt);
        }
        else
        {
            entry.Placement = MessagePlacement.Far;
            _far.Add(entry, dueAt);
        }
    }

    /// <summary>Finds the entry a lease is held on.</summary>
    /// <param name="leaseId">The lease.</param>
    /// <param name="messageId">The message the lease was taken on.</param>
    /// <param name="entry">The entry.</param>
    /// <returns><see langword="true"/> when the lease is held on that message.</returns>
    public bool TryGetLeased(Guid leaseId, string messageId, [NotNullWhen(true)] out MessageEntry? entry) =>
        _leased.TryGetValue(leaseId, out entry) && string.Equals(entry.Message.Id, messageId, StringComparison.Ordinal);

    /// <summary>Takes an entry out of the index (its queue item turns stale) and releases its lease; entries in no queue are left alone.</summary>
    /// <param name="entry">The entry.</param>
    public void Remove(MessageEntry entry)
    {
        var queue = entry.Placement switch
        {
            MessagePlacement.Near => _near,
            MessagePlacement.Far => _far,
            MessagePlacement.Leased => _leases,
            _ => null,
        };
        if (queue is not null)
        {
            queue.Invalidate(entry);
            entry.Placement = MessagePlacement.None;
            ReleaseLease(entry);
        }
    }

    /// <summary>
    /// Gets the entries whose lease expired with nothing due (a message cancelled while leased): they are in no queue,
    /// for the store to place. The store empties the list.
    /// </summary>
    public List<MessageEntry> Unscheduled => _unscheduled;

    /// <summary>Leases the entries due at <paramref name="now"/>, earliest first.</summary>
    /// <param name="now">The current time, in UTC ticks.</param>
    /// <param name="maxCount">The most entries to lease.</param>
    /// <param name="expiresAt">When the leases expire.</param>
    /// <returns>The leases taken.</returns>
    public IReadOnlyList<MessageLease> Claim(DateTimeOffset now, int maxCount, DateTimeOffset expiresAt)
    {
        var nowTicks = now.UtcTicks;
        AdvanceHorizon(nowTicks);
        ReleaseExpiredLeases(nowTicks);

        List<MessageLease>? claimed = null;
        while ((claimed?.Count ?? 0) < maxCount && _near.TryTakeDue(nowTicks, out var entry))
        {
            entry.LeaseId = NextLeaseId();
            entry.LeaseExpiresAt = expiresAt.UtcTicks;
            entry.Placement = MessagePlacement.Leased;
            _leased.Add(entry.LeaseId, entry);
            _leases.Add(entry, entry.LeaseExpiresAt);
            claimed ??= new List<MessageLease>(Math.Min(maxCount, _near.Count + 1));
            claimed.Add(new MessageLease(entry.Message, entry.LeaseId, expiresAt));
        }

        return (IReadOnlyList<MessageLease>?)claimed ?? [];
    }

    /// <summary>Moves the expiry of a held lease.</summary>
    /// <param name="entry">The leased entry.</param>
    /// <param name="expiresAt">The new expiry, in UTC ticks.</param>
    public void Renew(MessageEntry entry, long expiresAt)
    {
        var earlier = expiresAt < entry.LeaseExpiresAt;
        entry.LeaseExpiresAt = expiresAt;
        if (earlier)
        {
            // A later expiry is found lazily when the old item surfaces; an earlier one needs an item of its own.
            _leases.Invalidate(entry);
            _leases.Add(entry, expiresAt);
        }
    }

    /// <summary>
    /// Returns a lease id unique within this index: a random prefix and a sequence number. Lease ids fence completions
    /// and are not secrets, while <see cref="Guid.NewGuid"/> reads the system's random source on every call.
    /// </summary>
    private Guid NextLeaseId()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, _leaseIdPrefix);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], ++_leaseSequence);
        return new Guid(bytes);
    }

    private void ReleaseLease(MessageEntry entry)
    {
        if (entry.IsLeased)
        {
            _leased.Remove(entry.LeaseId);
            entry.LeaseId = Guid.Empty;
        }
    }

    private void AdvanceHorizon(long now)
    {
        var horizon = now + HorizonTicks;
        if (horizon <= _horizon)
        {
            return;
        }

        _horizon = horizon;
        while (_far.TryTakeDue(horizon, out var entry))
        {
            entry.Placement = MessagePlacement.Near;
            _near.Add(entry, entry.Message.NextAttemptAt!.Value.UtcTicks);
        }
    }

    private void ReleaseExpiredLeases(long now)
    {
        while (_leases.TryTakeDue(now, out var entry))
        {
            if (entry.LeaseExpiresAt > now)
            {
                // Renewed since it was queued.
                _leases.Add(entry, entry.LeaseExpiresAt);
                continue;
            }

            ReleaseLease(entry);
            if (!entry.Message.IsFinished && entry.Message.NextAttemptAt is { } dueAt)
            {
                Schedule(entry, dueAt.UtcTicks);
            }
            else
            {
                // Changed while leased so that nothing is due (held, or finished whatever its next attempt time): the store places it.
                entry.Placement = MessagePlacement.None;
                _unscheduled.Add(entry);
            }
        }
    }
}
