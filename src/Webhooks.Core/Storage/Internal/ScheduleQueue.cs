using System.Diagnostics.CodeAnalysis;

namespace Webhooks.Core.Internal;

/// <summary>
/// A priority queue of message entries by time, first in first out among equal times, with lazy removal: an item is live while its version is the entry's
/// current <see cref="MessageEntry.Version"/>. When stale items outnumber live ones the queue is rebuilt, so memory
/// stays proportional to the live entries.
/// </summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class ScheduleQueue
{
    private PriorityQueue<(MessageEntry Entry, int Version), (long Time, long Sequence)> _queue = new();
    private long _sequence;
    private int _stale;

    /// <summary>Gets how many items the queue holds, stale ones included.</summary>
    public int QueuedCount => _queue.Count;

    /// <summary>Gets how many live items the queue holds.</summary>
    public int Count => _queue.Count - _stale;

    /// <summary>Adds an entry at its current version.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="time">Its time, in UTC ticks.</param>
    public void Add(MessageEntry entry, long time) => _queue.Enqueue((entry, entry.Version), (time, _sequence++));

    /// <summary>Turns the entry's item stale by moving the entry to a new version.</summary>
    /// <param name="entry">An entry with a live item in this queue.</param>
    public void Invalidate(MessageEntry entry)
    {
        entry.Version++;
        _stale++;
        if (_stale > DueIndex.CompactionThreshold && _stale > _queue.Count / 2)
        {
            _queue = new PriorityQueue<(MessageEntry Entry, int Version), (long Time, long Sequence)>(
                _queue.UnorderedItems.Where(static item => item.Element.Version == item.Element.Entry.Version));
            _stale = 0;
        }
    }

    /// <summary>Removes and returns the live entry with the earliest time, if that time is at or before <paramref name="time"/>.</summary>
    /// <param name="time">The latest time to take, in UTC ticks.</param>
    /// <param name="entry">The entry taken.</param>
    /// <returns><see langword="true"/> when an entry was taken.</returns>
    public bool TryTakeDue(long time, [MaybeNullWhen(false)] out MessageEntry entry)
    {
        while (_queue.TryPeek(out var item, out var priority) && priority.Time <= time)
        {
            _queue.Dequeue();
            if (item.Version == item.Entry.Version)
            {
                entry = item.Entry;
                return true;
            }

            _stale--;
        }

        entry = null;
        return false;
    }
}
