using System.Runtime.InteropServices;
using Webhooks.Core.Internal;

namespace Webhooks.Core;

/// <content>Bounded retention: at most <see cref="InMemoryStoreOptions.MaxFinishedMessages"/> finished messages are kept.</content>
public sealed partial class InMemoryWebhookStore
{
    private const long EvictingSequence = -1;

    private readonly int _maxFinished;

    // Finished messages in the order they finished. An item is current while its entry still carries the item's sequence
    // number; an entry that left (purged, deleted, retried) leaves a stale item behind, skipped when it surfaces.
    private readonly Queue<(MessageEntry Entry, long Sequence)> _finishedOrder = new();
    private readonly List<MessageEntry> _evicting = [];
    private readonly List<MessageEntry> _evicted = [];
    private readonly Dictionary<string, MessageEntry> _newestEvicted = new(StringComparer.Ordinal);
    private long _finishedSequence;
    private int _finishedCount;

    /// <summary>Gets how many finished messages the store keeps now.</summary>
    internal int FinishedCount
    {
        get
        {
            lock (_messageLock)
            {
                return _finishedCount;
            }
        }
    }

    private void CountFinished(MessageEntry entry)
    {
        if (entry.FinishedSequence != 0)
        {
            return;
        }

        entry.FinishedSequence = ++_finishedSequence;
        _finishedCount++;
        _finishedOrder.Enqueue((entry, entry.FinishedSequence));
    }

    private void UncountFinished(MessageEntry entry)
    {
        if (entry.FinishedSequence == 0)
        {
            return;
        }

        entry.FinishedSequence = 0;
        _finishedCount--;

        // Stale items keep their entries alive: rebuild the queue once they outnumber the current ones.
        if (_finishedOrder.Count > (2 * _finishedCount) + 1024)
        {
            var current = _finishedOrder.Where(static item => item.Entry.FinishedSequence == item.Sequence).ToArray();
            _finishedOrder.Clear();
            foreach (var item in current)
            {
                _finishedOrder.Enqueue(item);
            }
        }
    }

    /// <summary>
    /// Forgets the messages that finished first once the store keeps more than allowed. Works in batches of a hundredth
    /// of the limit, so that each message list is compacted once per batch rather than once per message.
    /// </summary>
    private void EvictFinishedOverflow()
    {
        if (_finishedCount <= _maxFinished)
        {
            return;
        }

        var target = _maxFinished - Math.Min(_maxFinished, Math.Max(1, _maxFinished / 100));
        while (_finishedCount > target && _finishedOrder.TryDequeue(out var item))
        {
            if (item.Entry.FinishedSequence != item.Sequence)
            {
                continue;
            }

            item.Entry.FinishedSequence = EvictingSequence;
            _finishedCount--;
            _evicting.Add(item.Entry);
        }

        // Finished messages are mostly the oldest of their webhook: compacting up to the newest one evicted is short.
        foreach (var entry in _evicting)
        {
            ref var newest = ref CollectionsMarshal.GetValueRefOrAddDefault(_newestEvicted, entry.Message.WebhookId, out var seen);
            if (!seen || WebhookMessages.CompareCreation(entry, newest!) > 0)
            {
                newest = entry;
            }
        }

        foreach (var (webhookId, newest) in _newestEvicted)
        {
            _webhookMessages[webhookId].RemoveThrough(newest, static e => e.FinishedSequence == EvictingSequence, _evicted);
        }

        foreach (var entry in _evicted)
        {
            Forget(entry);
        }

        _evicting.Clear();
        _evicted.Clear();
        _newestEvicted.Clear();
    }
}
