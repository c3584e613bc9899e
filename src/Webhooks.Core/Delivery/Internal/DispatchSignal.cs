namespace Webhooks.Core.Internal;

/// <summary>
/// Wakes the dispatcher when messages may be due: a publish in this process, a store notification, a manual retry. It
/// also counts the changes this process makes to webhooks and messages outside delivery, so that an attempt claimed
/// before one of them looks again at what it is about to send.
/// </summary>
internal sealed class DispatchSignal
{
    private TaskCompletionSource _signal = NewSignal();
    private long _changes;

    /// <summary>Gets how many changes to webhooks and messages this process has made.</summary>
    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>Counts a change to a webhook or a message (an update, a delete, a state change, a cancel or a retry).</summary>
    public void NoteChange() => Interlocked.Increment(ref _changes);

    public void Notify() => Volatile.Read(ref _signal).TrySetResult();

    /// <summary>Waits until <see cref="Notify"/> is called or <paramref name="timeout"/> passes; a notification that came before the wait is not lost.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var signal = Volatile.Read(ref _signal);
        if (!signal.Task.IsCompleted && timeout > TimeSpan.Zero)
        {
            try
            {
                await signal.Task.WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Woken by the clock rather than by a notification.
            }
        }

        if (signal.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _signal, NewSignal(), signal);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
