using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Webhooks.Core.Internal;

/// <summary>
/// Collects message outcomes from concurrent attempts and writes them to the store in batches. There is no writer
/// task to wake: the attempt that finds no write under way writes what is queued, on its own thread, while the
/// attempts finishing meanwhile only queue theirs; so a busy dispatcher writes large batches and an idle one writes at once.
/// A write that fails is made again, as it was, after 1, 2 and 4 seconds (at once when draining): a store that fails for
/// a moment loses no outcome, so a delivered message is not sent again when its lease lapses. The outcomes queued
/// meanwhile are written next, with as many tries. An outcome with <see cref="MessageOutcome.Expected"/> is written only
/// while its message is as expected (<see cref="IWebhookStore.CompleteIfUnchangedAsync"/>); each one the store refuses
/// goes to <paramref name="refused"/> with the message as it is now, its lease still held.
/// </summary>
internal sealed class OutcomeWriter(
    IWebhookStore store, TimeProvider timeProvider, ILogger logger, Func<MessageOutcome, DeliveryMessage, ValueTask>? refused = null)
{
    private const int MaxBatch = 500;
    private const int MaxRetries = 3;
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private readonly ConcurrentQueue<MessageOutcome> _queued = new();
    private readonly CancellationTokenSource _draining = new();

    // Only the writer touches the batches, and there is one writer at a time.
    private readonly List<MessageOutcome> _batch = new(MaxBatch);
    private readonly List<MessageOutcome> _conditional = [];
    private int _writing;
    private Task _lastWrite = Task.CompletedTask;

    /// <summary>Queues an outcome, and writes the queue unless a write is under way; does not wait for a write that goes asynchronous.</summary>
    public void Add(MessageOutcome outcome)
    {
        _queued.Enqueue(outcome);
        TryWrite();
    }

    /// <summary>Completes when every outcome added before the call is written (or its write has failed and been logged).</summary>
    public async Task DrainAsync()
    {
        // The dispatcher stops: a write waiting to be made again is made at once.
        await _draining.CancelAsync().ConfigureAwait(false);
        while (!_queued.IsEmpty || Volatile.Read(ref _writing) != 0)
        {
            var write = TryWrite();
            if (write.IsCompleted && Volatile.Read(ref _writing) != 0)
            {
                // Another thread is writing and has not published its task yet.
                write = Volatile.Read(ref _lastWrite);
                if (write.IsCompleted)
                {
                    await Task.Yield();
                }
            }

            await write.ConfigureAwait(false);
        }
    }

    private Task TryWrite()
    {
        if (Interlocked.CompareExchange(ref _writing, 1, 0) != 0)
        {
            return Task.CompletedTask;
        }

        var write = WriteQueuedAsync();
        if (!write.IsCompleted)
        {
            Volatile.Write(ref _lastWrite, write);
        }

        return write;
    }

    private async Task WriteQueuedAsync()
    {
        var failures = 0;
        while (true)
        {
            // A batch made again is made as it was: outcomes queued meanwhile wait for the next one, with tries of their own.
            while (failures == 0 && _batch.Count + _conditional.Count < MaxBatch && _queued.TryDequeue(out var outcome))
            {
                (outcome.Expected is null ? _batch : _conditional).Add(outcome);
            }

            if (_batch.Count + _conditional.Count == 0)
            {
                // Release, then look again: an outcome queued after the last dequeue but before the release would
                // otherwise wait for the next attempt to finish. A full fence between the two, as an adder has between its
                // enqueue and its compare-exchange: a plain store may pass the load that follows it.
                Interlocked.Exchange(ref _writing, 0);
                if (_queued.IsEmpty || Interlocked.CompareExchange(ref _writing, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            try
            {
                if (_batch.Count > 0)
                {
                    await store.CompleteAsync(_batch, CancellationToken.None).ConfigureAwait(false);
                    _batch.Clear();
                }

                if (_conditional.Count > 0)
                {
                    await WriteConditionalAsync().ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (failures < MaxRetries)
            {
                Log.CompleteRetried(logger, ex, _batch.Count + _conditional.Count);
                await DelayRetryAsync(failures++).ConfigureAwait(false);
                continue;
            }
            catch (Exception ex)
            {
                // The leases lapse and the messages are attempted again: at-least-once holds.
                Log.CompleteFailed(logger, ex, _batch.Count + _conditional.Count);
            }

            failures = 0;
            _batch.Clear();
            _conditional.Clear();
        }
    }

    private async Task WriteConditionalAsync()
    {
        var changed = await store.CompleteIfUnchangedAsync(_conditional, CancellationToken.None).ConfigureAwait(false);
        if (changed.Count > 0)
        {
            var current = changed.ToDictionary(static m => m.Id, StringComparer.Ordinal);
            foreach (var outcome in _conditional)
            {
                if (current.GetValueOrDefault(outcome.Message.Id) is { } now && refused is not null)
                {
                    await refused(outcome, now).ConfigureAwait(false);
                }
            }
        }

        _conditional.Clear();
    }

    private async Task DelayRetryAsync(int failures)
    {
        try
        {
            await Task.Delay(FirstRetryDelay * (1 << failures), timeProvider, _draining.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Draining: made again at once.
        }
    }
}
