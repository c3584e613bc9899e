namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>
/// Remembers received deliveries until their timestamp leaves the tolerance window, to reject replays. Bounded:
/// when full, the entry closest to expiry is forgotten. Thread-safe.
/// </summary>
/// <param name="capacity">The most entries held, until <see cref="GrowTo"/> raises it.</param>
/// <param name="timeProvider">The clock.</param>
internal sealed class ReplayCache(int capacity, TimeProvider timeProvider) : IWebhookReplayGuard
{
    private readonly Lock _gate = new();
    private int _capacity = capacity;
    private readonly Dictionary<string, long> _expiries = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, long> _byExpiry = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _expiries.Count;
            }
        }
    }

    /// <summary>Gets how many items the expiry queue holds, forgotten deliveries' included.</summary>
    public int QueuedCount
    {
        get
        {
            lock (_gate)
            {
                return _byExpiry.Count;
            }
        }
    }

    /// <summary>Raises the capacity to <paramref name="capacity"/>, for a receiver sharing the cache that asks for more.</summary>
    /// <param name="capacity">The most entries the receiver asks the cache to hold.</param>
    public void GrowTo(int capacity)
    {
        lock (_gate)
        {
            _capacity = Math.Max(_capacity, capacity);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryRecordAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        new(TryRecord(key, expiresAt));

    /// <summary>Records a delivery; <see langword="false"/> when it was recorded before and has not expired.</summary>
    /// <param name="key">The delivery's identity.</param>
    /// <param name="expiresAt">When a replay of it would fail the timestamp check anyway.</param>
    public bool TryRecord(string key, DateTimeOffset expiresAt)
    {
        var now = timeProvider.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            while (_byExpiry.TryPeek(out _, out var earliest) && earliest <= now)
            {
                Forget(_byExpiry.Dequeue(), earliest);
            }

            if (_expiries.ContainsKey(key))
            {
                return false;
            }

            if (_byExpiry.Count >= 2L * _capacity)
            {
                // Forgotten deliveries leave their queue items behind: drop them, so the queue stays near the capacity.
                _byExpiry.Clear();
                foreach (var (live, expiry) in _expiries)
                {
                    _byExpiry.Enqueue(live, expiry);
                }
            }

            while (_expiries.Count >= _capacity && _byExpiry.TryDequeue(out var evicted, out var expiry))
            {
                Forget(evicted, expiry);
            }

            _expiries.Add(key, expiresAt.UtcTicks);
            _byExpiry.Enqueue(key, expiresAt.UtcTicks);
            return true;
        }
    }

    /// <inheritdoc/>
    public ValueTask ForgetAsync(string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // Its queue item stays until it expires; it then finds nothing to forget (or the same expiry, when the
            // retry came with the same timestamp, which expires then anyway).
            _expiries.Remove(key);
        }

        return ValueTask.CompletedTask;
    }

    private void Forget(string key, long expiry)
    {
        if (_expiries.TryGetValue(key, out var current) && current == expiry)
        {
            _expiries.Remove(key);
        }
    }
}
