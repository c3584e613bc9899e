namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>An auto-reset wake-up for a background loop; a wake-up that arrives while the loop works is not lost.</summary>
internal sealed class WakeSignal
{
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set() => Volatile.Read(ref _signal).TrySetResult();

    /// <summary>Waits for <see cref="Set"/> or <paramref name="timeout"/>, whichever comes first, then resets.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var signal = Volatile.Read(ref _signal);
        try
        {
            await signal.Task.WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The poll interval passed: look anyway.
        }

        if (signal.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), signal);
        }
    }
}
