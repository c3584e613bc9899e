namespace Webhooks.Core.Internal;

/// <content>Workers: how many run, how they take the waiting attempts, and the drain at shutdown.</content>
internal sealed partial class WebhookDispatcher
{
    /// <summary>Starts workers for the waiting attempts, up to the global concurrency.</summary>
    private void StartWorkers()
    {
        while (Volatile.Read(ref _readyCount) > 0)
        {
            var running = Volatile.Read(ref _running);
            if (running >= _options.MaxConcurrency)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _running, running + 1, running) == running)
            {
                _ = WorkAsync();
            }
        }
    }

    /// <summary>Makes the waiting attempts one after the other, and ends when none is left.</summary>
    private async Task WorkAsync()
    {
        while (true)
        {
            while (_ready.TryDequeue(out var next))
            {
                Interlocked.Decrement(ref _readyCount);

                // Looked at after taking the attempt, not after making the one before: this worker's place passed from
                // that one to this one, so the place this one held in the ready queue is free (and one that ended, or
                // was put off or queued in its lane, is seen here too, or by the worker's exit).
                NotifyIfCapacityFree();

                // A per-webhook limit at or above the global one can never bind: no lane (and no slot traffic).
                await (_options.MaxConcurrencyPerWebhook < _options.MaxConcurrency ? RunInLaneAsync(next) : AttemptAsync(next, lane: null)).ConfigureAwait(false);
            }

            var running = Interlocked.Decrement(ref _running);
            _capacity.Notify();

            // An attempt queued after the last look, while this worker still counted, may have found every worker busy.
            if (Volatile.Read(ref _readyCount) > 0 && TryRejoin(running))
            {
                continue;
            }

            if (Volatile.Read(ref _running) == 0)
            {
                Volatile.Read(ref _drained)?.TrySetResult();
            }

            return;
        }
    }

    private bool TryRejoin(int running)
    {
        while (running < _options.MaxConcurrency)
        {
            var seen = Interlocked.CompareExchange(ref _running, running + 1, running);
            if (seen == running)
            {
                return true;
            }

            running = seen;
        }

        return false;
    }

    /// <summary>Completes when no worker runs: the attempts under way ended (or were aborted), and no more start.</summary>
    private async Task DrainAsync()
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // A full fence between publishing the completion and reading the count, as a worker has between its decrement
        // and its read of the completion: one of the two sees the other, so the last worker is never missed.
        Interlocked.Exchange(ref _drained, drained);
        if (Volatile.Read(ref _running) == 0)
        {
            drained.TrySetResult();
        }

        await drained.Task.ConfigureAwait(false);
    }
}
