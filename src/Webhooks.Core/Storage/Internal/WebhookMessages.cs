namespace Webhooks.Core.Internal;

/// <summary>
/// The messages of one webhook in the in-memory store: in creation order for listing, recovery and purging, and the
/// held ones for resuming. Mutated only under the store's message lock.
/// </summary>
internal sealed class WebhookMessages
{
    private static readonly Comparer<MessageEntry> CreationOrder = Comparer<MessageEntry>.Create(Compare);

    private readonly List<MessageEntry> _byCreation = [];

    /// <summary>Gets the held messages: unfinished, with no next attempt time.</summary>
    public HashSet<MessageEntry> Held { get; } = [];

    /// <summary>Gets how many messages the webhook has.</summary>
    public int Count => _byCreation.Count;

    /// <summary>
    /// Gets the messages ordered by creation time, then by id, so that messages arrive at the end and reading backwards
    /// lists newest first (ties by id descending, which for time-ordered ids is newest first too).
    /// </summary>
    public IReadOnlyList<MessageEntry> ByCreation => _byCreation;

    /// <summary>Adds a message at its place in creation order.</summary>
    /// <param name="entry">The message.</param>
    public void AddInCreationOrder(MessageEntry entry)
    {
        // A message comes last, or a few places before (publishers that read the clock in one order took the store's lock
        // in another): those are looked at one by one from the end, rather than searching the whole log, whose old
        // entries are far apart in memory.
        const int LookedAtFromTheEnd = 8;
        var index = _byCreation.Count;
        var stop = Math.Max(0, index - LookedAtFromTheEnd);
        while (index > stop && CreationOrder.Compare(_byCreation[index - 1], entry) > 0)
        {
            index--;
        }

        if (index == stop && index > 0 && CreationOrder.Compare(_byCreation[index - 1], entry) > 0)
        {
            index = _byCreation.BinarySearch(0, index, entry, CreationOrder);
            index = index < 0 ? ~index : index;
        }

        _byCreation.Insert(index, entry);
    }

    /// <summary>Removes a message.</summary>
    /// <param name="entry">The message.</param>
    public void Remove(MessageEntry entry)
    {
        Held.Remove(entry);
        var index = _byCreation.BinarySearch(entry, CreationOrder);
        if (index >= 0)
        {
            _byCreation.RemoveAt(index);
        }
    }

    /// <summary>Returns the index of the first message created at or after <paramref name="time"/>.</summary>
    /// <param name="time">The time.</param>
    public int IndexOfCreatedAtOrAfter(DateTimeOffset time)
    {
        int low = 0, high = _byCreation.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (_byCreation[middle].Message.CreatedAt < time)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>
    /// Returns the index of the first message at or past <paramref name="position"/> in creation order: the messages
    /// before the index are the ones that come after the position in the newest-first log.
    /// </summary>
    /// <param name="position">The position, of a message stored or not.</param>
    public int IndexOfPosition(MessageLogPosition position)
    {
        int low = 0, high = _byCreation.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (position.Precedes(_byCreation[middle].Message))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>Removes the messages created before <paramref name="time"/> that <paramref name="remove"/> selects.</summary>
    /// <param name="time">The creation time bound, exclusive.</param>
    /// <param name="remove">Selects the messages to remove.</param>
    /// <param name="removed">Receives the messages removed.</param>
    public void RemoveCreatedBefore(DateTimeOffset time, Func<MessageEntry, bool> remove, List<MessageEntry> removed) =>
        RemoveAmongFirst(IndexOfCreatedAtOrAfter(time), remove, removed);

    /// <summary>
    /// Removes the messages up to <paramref name="last"/> in creation order that <paramref name="remove"/> selects: the
    /// scan ends at <paramref name="last"/> even when many messages share its creation time.
    /// </summary>
    /// <param name="last">A message of this webhook, the last one looked at.</param>
    /// <param name="remove">Selects the messages to remove.</param>
    /// <param name="removed">Receives the messages removed.</param>
    public void RemoveThrough(MessageEntry last, Func<MessageEntry, bool> remove, List<MessageEntry> removed)
    {
        var index = _byCreation.BinarySearch(last, CreationOrder);
        RemoveAmongFirst(index < 0 ? ~index : index + 1, remove, removed);
    }

    private void RemoveAmongFirst(int end, Func<MessageEntry, bool> remove, List<MessageEntry> removed)
    {
        var kept = 0;
        for (var i = 0; i < end; i++)
        {
            var entry = _byCreation[i];
            if (remove(entry))
            {
                removed.Add(entry);
                Held.Remove(entry);
                continue;
            }

            // Moving only what must move: a store into this (old, large) array costs a GC write barrier.
            if (kept != i)
            {
                _byCreation[kept] = entry;
            }

            kept++;
        }

        _byCreation.RemoveRange(kept, end - kept);
    }

    /// <summary>Compares two messages in creation order: by creation time, then by id.</summary>
    public static int CompareCreation(MessageEntry x, MessageEntry y) => CreationOrder.Compare(x, y);

    private static int Compare(MessageEntry x, MessageEntry y)
    {
        var byTime = x.Message.CreatedAt.CompareTo(y.Message.CreatedAt);
        return byTime != 0 ? byTime : string.CompareOrdinal(x.Message.Id, y.Message.Id);
    }
}
