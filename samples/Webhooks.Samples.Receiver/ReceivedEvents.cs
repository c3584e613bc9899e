using Webhooks.Core.AspNetCore;

namespace Webhooks.Samples.Receiver;

/// <summary>The last events received, newest last; lets a caller wait for one.</summary>
public sealed class ReceivedEvents
{
    private const int Capacity = 100;

    private readonly Lock _gate = new();
    private readonly Queue<ReceivedWebhookEvent> _events = new();
    private readonly List<(Func<ReceivedWebhookEvent, bool> Match, TaskCompletionSource<ReceivedWebhookEvent> Waiter)> _waiters = [];

    /// <summary>Gets the last events received, oldest first.</summary>
    public IReadOnlyList<ReceivedWebhookEvent> Recent
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Records an event and wakes whoever waits for it.</summary>
    /// <param name="webhookEvent">The event.</param>
    public void Add(ReceivedWebhookEvent webhookEvent)
    {
        List<TaskCompletionSource<ReceivedWebhookEvent>> woken = [];
        lock (_gate)
        {
            if (_events.Count == Capacity)
            {
                _events.Dequeue();
            }

            _events.Enqueue(webhookEvent);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(webhookEvent))
                {
                    woken.Add(_waiters[i].Waiter);
                    _waiters.RemoveAt(i);
                }
            }
        }

        woken.ForEach(w => w.TrySetResult(webhookEvent));
    }

    /// <summary>Returns the first event, received already or later, that matches.</summary>
    /// <param name="match">What to wait for.</param>
    /// <param name="cancellationToken">A token to stop waiting.</param>
    public Task<ReceivedWebhookEvent> WaitForAsync(Func<ReceivedWebhookEvent, bool> match, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<ReceivedWebhookEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_events.FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }

            _waiters.Add((match, waiter));
        }

        return waiter.Task.WaitAsync(cancellationToken);
    }
}
