using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Webhooks.Core.Internal;

/// <summary>
/// Hands notifications to every registered handler, in the order they were raised, on a loop of its own: a slow handler
/// (an e-mail to the webhook's owner) holds no delivery worker. The handlers are resolved for each notification in a
/// scope of its own, so a scoped handler (one that uses a DbContext) works and a handler may use the library's
/// services. A handler that throws is logged and skipped. A handler that cannot be made (its constructor throws) is
/// logged too, and as the container makes a notification's handlers together, that notification reaches none of them.
/// What is still queued when the container is disposed (raised after the host stopped its services) is logged as dropped.
/// The handlers under way are cancelled then, and waited for a moment at most: one that ignores its token holds no
/// container.
/// </summary>
internal sealed class NotificationDispatcher(IServiceScopeFactory scopes, TimeProvider timeProvider, ILogger<NotificationDispatcher> logger)
    : IAsyncDisposable, IDisposable
{
    /// <summary>How long disposal waits for the handlers under way once they are cancelled.</summary>
    internal static readonly TimeSpan CancelledHandlersWait = TimeSpan.FromSeconds(1);

    private readonly Channel<WebhookNotification> _queue = Channel.CreateUnbounded<WebhookNotification>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _starting = new();
    private Task? _loop;
    private int _pending;
    private TaskCompletionSource? _idle;
    private int _disposed;

    /// <summary>Queues a notification for the handlers; returns at once.</summary>
    public void Raise(WebhookNotification notification)
    {
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(notification))
        {
            Interlocked.Decrement(ref _pending); // Disposed: the host is gone.
            return;
        }

        if (Volatile.Read(ref _loop) is null)
        {
            lock (_starting)
            {
                // The loop outlives the call that starts it: not in that caller's context, whose ambient transaction
                // (TransactionScope), current activity and other async-local state every later handler would see.
                using (ExecutionContext.SuppressFlow())
                {
                    _loop ??= Task.Run(HandleAllAsync);
                }
            }
        }
    }

    /// <summary>
    /// Completes when every notification raised so far has been handled, or when <paramref name="abort"/> fires: then
    /// the handlers under way are cancelled.
    /// </summary>
    public async Task DrainAsync(CancellationToken abort)
    {
        while (Volatile.Read(ref _pending) > 0)
        {
            var idle = Volatile.Read(ref _idle);
            if (idle is null)
            {
                Interlocked.CompareExchange(ref _idle, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);
                continue; // Look at the count again, now that a handled notification will complete the signal.
            }

            try
            {
                await idle.Task.WaitAsync(abort).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                await _stopping.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        StopHandling();
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _loop) is { } loop)
        {
            try
            {
                // On the host's clock: under a fake one that stands still, a handler ignoring its token is waited for.
                await loop.WaitAsync(CancelledHandlersWait, timeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The loop still reads the token source: it is left to the collector.
                Log.NotificationHandlerStuck(logger, CancelledHandlersWait);
                return;
            }
        }

        _stopping.Dispose();
    }

    /// <summary>
    /// For a container disposed synchronously (<c>using var provider = services.BuildServiceProvider()</c>, which
    /// refuses a service that only disposes asynchronously): the handlers under way are cancelled, not waited for.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        StopHandling();
        _stopping.Cancel();
    }

    private void StopHandling()
    {
        _queue.Writer.TryComplete();
        if (Volatile.Read(ref _pending) is var dropped and > 0)
        {
            // The services the handlers use are being disposed with this: the notifications cannot be handled now.
            Log.NotificationsDropped(logger, dropped);
        }
    }

    private async Task HandleAllAsync()
    {
        await foreach (var notification in _queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            await HandleAsync(notification).ConfigureAwait(false);
            if (Interlocked.Decrement(ref _pending) == 0)
            {
                Interlocked.Exchange(ref _idle, null)?.TrySetResult();
            }
        }
    }

    private async Task HandleAsync(WebhookNotification notification)
    {
        var stopping = _stopping.Token;
        try
        {
            var scope = scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                foreach (var handler in scope.ServiceProvider.GetServices<IWebhookNotificationHandler>())
                {
                    try
                    {
                        await handler.HandleAsync(notification, stopping).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
                    {
                        Log.NotificationHandlerFailed(logger, ex, notification.Kind, notification.WebhookId);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The host stopped before the handlers were done.
        }
        catch (Exception ex)
        {
            // A handler that cannot be made (its constructor threw): the next notification tries again.
            Log.NotificationHandlerFailed(logger, ex, notification.Kind, notification.WebhookId);
        }
    }
}
