using System.Globalization;

namespace Webhooks.Core.Testing.Internal;

/// <summary>A thread-safe list of received requests that tests can wait on.</summary>
internal sealed class RequestLog<T>
{
    private readonly Lock _gate = new();
    private readonly List<T> _items = [];
    private readonly List<(int Count, TaskCompletionSource<IReadOnlyList<T>> Arrived)> _waiters = [];

    public IReadOnlyList<T> Snapshot()
    {
        lock (_gate)
        {
            return [.. _items];
        }
    }

    public void Add(T item)
    {
        lock (_gate)
        {
            _items.Add(item);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count <= _items.Count)
                {
                    // Continuations run asynchronously, so completing under the lock is safe.
                    _waiters[i].Arrived.TrySetResult([.. _items]);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    public async Task<IReadOnlyList<T>> WaitForAsync(int count, TimeSpan timeout, string what)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            // Checked before the waiter is registered, so that a refused wait leaves nothing behind.
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be zero or more, or Timeout.InfiniteTimeSpan.");
        }

        var arrived = new TaskCompletionSource<IReadOnlyList<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiter = (count, arrived);
        lock (_gate)
        {
            if (_items.Count >= count)
            {
                return [.. _items];
            }

            _waiters.Add(waiter);
        }

        try
        {
            // A test guard, so real time: a fake clock in the test would never end the wait.
            // A timeout longer than a timer can wait waits as long as an infinite one.
            return await arrived.Task.WaitAsync(TimerLimits.Clamp(timeout), TimeProvider.System).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            int received;
            lock (_gate)
            {
                _waiters.Remove(waiter);
                received = _items.Count;
            }

            var seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            throw new TimeoutException($"Expected {count} {what}(s) within {seconds} s, but {received} arrived.");
        }
    }
}
