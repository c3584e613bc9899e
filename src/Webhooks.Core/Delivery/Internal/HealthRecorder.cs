using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Webhooks.Core.Internal;

/// <summary>
/// Feeds attempt outcomes to the endpoint state machine. Outcomes of one webhook are folded together and written
/// in one update; a window that changed no status is written at most every <see cref="PersistInterval"/>, so that
/// busy webhooks do not bump their generation (and break their owners' If-Match) on every delivery.
/// </summary>
internal sealed class HealthRecorder(WebhookStateChanges states, NotificationDispatcher notifications, TimeProvider timeProvider, ILogger logger)
{
    internal static readonly TimeSpan PersistInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, WebhookHealth> _webhooks = new(StringComparer.Ordinal);

    public void Record(string webhookId, int? statusCode)
    {
        var health = _webhooks.GetOrAdd(webhookId, static _ => new WebhookHealth());
        health.Outcomes.Enqueue(statusCode);
        if (Interlocked.CompareExchange(ref health.Flushing, 1, 0) == 0)
        {
            // The fold runs on the caller's thread until it has to wait (a store write, a notification handler); the
            // common case, a window update with nothing to write, finishes here without waking another thread.
            var flush = FlushAsync(webhookId, health);
            if (!flush.IsCompleted)
            {
                Volatile.Write(ref health.Flush, flush);
            }
        }
    }

    /// <summary>Gets the webhooks this recorder keeps a health window for.</summary>
    public ICollection<string> WebhookIds => _webhooks.Keys;

    /// <summary>Drops the window of a webhook that no longer exists, unless outcomes of it are still being folded.</summary>
    public void Forget(string webhookId)
    {
        if (_webhooks.TryGetValue(webhookId, out var health) && Volatile.Read(ref health.Flushing) == 0 && health.Outcomes.IsEmpty)
        {
            _webhooks.TryRemove(KeyValuePair.Create(webhookId, health));
        }
    }

    /// <summary>Waits until every outcome recorded so far is folded (used when the dispatcher stops, and by tests).</summary>
    public async Task DrainAsync()
    {
        while (_webhooks.Values.Where(static h => Volatile.Read(ref h.Flushing) != 0 || !h.Outcomes.IsEmpty).ToArray() is { Length: > 0 } busy)
        {
            await Task.WhenAll(busy.Select(static h => Volatile.Read(ref h.Flush))).ConfigureAwait(false);

            // A fold running on another thread that has not reached an await yet has no task to wait for: it is short.
            await Task.Yield();
        }
    }

    // A lambda made in FlushAsync itself would have its closure allocated on every call, made or not.
    private Func<WebhookConfig, EndpointTransition?> ChangeOf(WebhookHealth health) => config => Fold(config, health);

    private async Task FlushAsync(string webhookId, WebhookHealth health)
    {
        // Only the flush under way touches these (Flushing is 1), so they are kept and reused.
        var pending = health.Pending;
        var change = health.Change ??= ChangeOf(health);
        while (true)
        {
            while (health.Outcomes.TryDequeue(out var outcome))
            {
                pending.Add(outcome);
            }

            if (pending.Count == 0)
            {
                Volatile.Write(ref health.Flushing, 0);
                if (health.Outcomes.IsEmpty || Interlocked.CompareExchange(ref health.Flushing, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            try
            {
                await states.ApplyAsync(webhookId, change, CancellationToken.None).ConfigureAwait(false);

                // Only now is the fold's result the config's: a fold that met a conflicting write ran again on the
                // newer config, and its outcomes must not count twice.
                health.Folded = health.Next;
                foreach (var notification in health.Raised)
                {
                    notifications.Raise(notification);
                }
            }
            catch (Exception ex)
            {
                Log.HealthUpdateFailed(logger, ex, webhookId);
            }

            pending.Clear();
        }
    }

    /// <summary>
    /// Applies the outcomes in order. Every notification along the way is collected, so a webhook that went to Warning
    /// and recovered within one fold still reports both.
    /// </summary>
    private EndpointTransition? Fold(WebhookConfig stored, WebhookHealth health)
    {
        var raised = health.Raised;
        raised.Clear();

        // Continue from this process's window unless someone else wrote the config since this process last did and
        // changed its health (another instance's outcomes, a reset on enabling); a user's rename keeps it. The window
        // is carried apart from the config, which is copied only for a transition or a write.
        var folded = health.Folded;
        var window = folded.Generation == stored.Generation || stored.Health == folded.StoredWindow ? folded.Window : stored.Health;
        var config = stored;
        foreach (var statusCode in health.Pending)
        {
            // Most outcomes are successes that move nothing: fold those into the window without copying the config.
            if (EndpointStateMachine.RecordsHealthOnly(config, statusCode))
            {
                window = window.Record(success: true);
                continue;
            }

            var transition = states.Machine.RecordAttempt(config with { Health = window }, statusCode);
            config = transition.Config;
            window = config.Health;
            if (transition.ToNotification() is { } notification)
            {
                raised.Add(notification);
            }
        }

        var now = timeProvider.GetUtcNow();
        var statusChanged = config.State != stored.State || config.Status != stored.Status;
        if (!statusChanged && now - folded.StoredAt < PersistInterval)
        {
            health.Next = folded with { Generation = stored.Generation, Window = window };
            return null;
        }

        health.Next = new FoldState(stored.Generation + 1, window, window, now);
        return new EndpointTransition(config with { Health = window, UpdatedAt = statusChanged ? now : stored.UpdatedAt }, stored.State, stored.Status, null);
    }

    private sealed class WebhookHealth
    {
        public readonly ConcurrentQueue<int?> Outcomes = new();
        public readonly List<int?> Pending = [];
        public readonly List<WebhookNotification> Raised = [];
        public Func<WebhookConfig, EndpointTransition?>? Change;
        public Task Flush = Task.CompletedTask;
        public int Flushing;
        public FoldState Folded = new(-1, default, default, default);
        public FoldState Next;
    }

    /// <summary>
    /// This process's window of a webhook: at which generation of the config it stands, and the window as this process
    /// last stored it, and when.
    /// </summary>
    private readonly record struct FoldState(long Generation, HealthWindow Window, HealthWindow StoredWindow, DateTimeOffset StoredAt);
}
