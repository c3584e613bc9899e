using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Webhooks.Core.Internal;

/// <summary>
/// Feeds attempt outcomes to the endpoint state machine. Outcomes of one webhook are folded together and written in one
/// update; a window that changed no status is written at most every <see cref="PersistInterval"/> (the first one after
/// a reset at once), so that busy webhooks do not bump their generation (and break their owners' If-Match) on every
/// delivery, and at the latest <see cref="PersistInterval"/> after its last write, also when no more attempts come.
/// When another instance sharing the store wrote the webhook's health meanwhile, the outcomes this process has not
/// written yet are folded again on top of it, so that every attempt counts; once another instance writes it too, an
/// outcome that breaks the run a transition waits for is written at once. A transition that outcomes of several
/// instances make together comes with the write after the one that completes it, within <see cref="PersistInterval"/>.
/// An outcome counts only for the URL it was sent to, and not across an enable: an attempt started before the webhook
/// was last enabled says nothing of it since. Nor does it count for another webhook with the same id (one deleted and
/// created again, told apart by <see cref="WebhookConfig.CreatedAt"/>), whose generations start again. A write that
/// fails keeps its outcomes: they are folded again with the next ones, or <see cref="PersistInterval"/> later.
/// </summary>
internal sealed class HealthRecorder(WebhookStateChanges states, NotificationDispatcher notifications, TimeProvider timeProvider, ILogger logger) : IDisposable
{
    internal static readonly TimeSpan PersistInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many unwritten outcomes are kept to fold again on another instance's window: as many as the largest window.
    /// Consecutive runs longer than that are counted from where they are kept.
    /// </summary>
    internal const int MaxUnwritten = 64;

    private static readonly TimerCallback FlushDue = static state =>
    {
        var (recorder, webhookId, health) = ((HealthRecorder, string, WebhookHealth))state!;
        if (Volatile.Read(ref recorder._disposed))
        {
            return;
        }

        Volatile.Write(ref health.TimerArmed, 0);
        Volatile.Write(ref health.FlushRequested, 1);
        recorder.StartFlush(webhookId, health);
    };

    /// <summary>The window of a webhook this process has neither folded nor written.</summary>
    private static readonly FoldState Unfolded = new(-1, default, default, default, default);

    private readonly ConcurrentDictionary<string, WebhookHealth> _webhooks = new(StringComparer.Ordinal);
    private bool _writeEveryFold;
    private bool _disposed;

    /// <summary>Records the outcome of an attempt made to <paramref name="attempted"/> as it was read for the attempt.</summary>
    public void Record(WebhookConfig attempted, DateTimeOffset startedAt, int? statusCode)
    {
        var health = _webhooks.GetOrAdd(attempted.Id, static _ => new WebhookHealth());
        health.Outcomes.Enqueue(new Outcome(attempted.Url, attempted.CreatedAt, startedAt, statusCode));
        StartFlush(attempted.Id, health);
    }

    public void Dispose()
    {
        // A write still under way that fails afterwards arms no new timer.
        Volatile.Write(ref _disposed, true);
        foreach (var health in _webhooks.Values)
        {
            health.Timer?.Dispose();
        }
    }

    /// <summary>Gets the webhooks this recorder keeps a health window for.</summary>
    public ICollection<string> WebhookIds => _webhooks.Keys;

    /// <summary>
    /// Drops the window of a webhook that no longer exists, unless outcomes of it are still being folded or are not
    /// written yet: the webhook may have been created again with its id since it was read as deleted, and those outcomes
    /// are the new one's. A deleted webhook's are dropped by the next fold (the timer's at the latest), and its window
    /// with the next call.
    /// </summary>
    public void Forget(string webhookId)
    {
        if (_webhooks.TryGetValue(webhookId, out var health) && Volatile.Read(ref health.Flushing) == 0 && health.Outcomes.IsEmpty
            && health.Unwritten.Count == 0
            && _webhooks.TryRemove(KeyValuePair.Create(webhookId, health)))
        {
            health.Timer?.Dispose();
        }
    }

    /// <summary>
    /// Writes every outcome folded but not written yet, whatever the time since the last write, and waits until every
    /// outcome recorded so far is folded: the dispatcher stops, and no timer will write them. From then on every fold
    /// writes.
    /// </summary>
    public Task WriteUnwrittenAsync()
    {
        Volatile.Write(ref _writeEveryFold, true);
        foreach (var (webhookId, health) in _webhooks)
        {
            Volatile.Write(ref health.FlushRequested, 1);
            StartFlush(webhookId, health);
        }

        return DrainAsync();
    }

    /// <summary>Waits until every outcome recorded so far is folded (used by tests).</summary>
    public async Task DrainAsync()
    {
        // A webhook whose write failed waits for its retry (the next outcome or the timer): not busy, though outcomes
        // may be queued, so that a failing store does not hold the drain.
        while (_webhooks.Values.Where(static h => Volatile.Read(ref h.Flushing) != 0 || (!h.Outcomes.IsEmpty && Volatile.Read(ref h.RetryWaiting) == 0)).ToArray() is { Length: > 0 } busy)
        {
            await Task.WhenAll(busy.Select(static h => Volatile.Read(ref h.Flush))).ConfigureAwait(false);

            // A fold running on another thread that has not reached an await yet has no task to wait for: it is short.
            await Task.Yield();
        }
    }

    // A lambda made in FlushAsync itself would have its closure allocated on every call, made or not.
    private Func<WebhookConfig, EndpointTransition?> ChangeOf(WebhookHealth health) => config => Fold(config, health);

    private void StartFlush(string webhookId, WebhookHealth health)
    {
        if (Interlocked.CompareExchange(ref health.Flushing, 1, 0) == 0)
        {
            Volatile.Write(ref health.RetryWaiting, 0);
            // The fold runs on the caller's thread until it has to wait (a store write, a notification handler); the
            // common case, a window update with nothing to write, finishes here without waking another thread.
            var flush = FlushAsync(webhookId, health);
            if (!flush.IsCompleted)
            {
                Volatile.Write(ref health.Flush, flush);
            }
        }
    }

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

            // The timer asks for a fold of no new outcomes, to write the ones not written yet.
            var writeDue = Interlocked.Exchange(ref health.FlushRequested, 0) == 1 && health.Unwritten.Count > 0;
            if (pending.Count == 0 && !writeDue)
            {
                // A full fence between the release and the look at the queue, as a recorder has between its enqueue and
                // its compare-exchange: a plain store may pass the load that follows it, and each side would then miss
                // the other, leaving an outcome unfolded until the next one.
                Interlocked.Exchange(ref health.Flushing, 0);
                if ((health.Outcomes.IsEmpty && Volatile.Read(ref health.FlushRequested) == 0) || Interlocked.CompareExchange(ref health.Flushing, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            try
            {
                if (await states.ApplyAsync(webhookId, change, CancellationToken.None).ConfigureAwait(false) is null)
                {
                    // Deleted: nothing is left to write to.
                    health.Unwritten.Clear();
                    pending.Clear();
                    continue;
                }

                // Only now is the fold's result the config's: a fold that met a conflicting write ran again on the
                // newer config, and its outcomes must not count twice.
                health.Folded = health.Next;
                KeepUnwritten(health);
                ArmTimer(webhookId, health);
                foreach (var notification in health.Raised)
                {
                    notifications.Raise(notification);
                }
            }
            catch (Exception ex)
            {
                Log.HealthUpdateFailed(logger, ex, webhookId);

                // The outcomes of the failed fold stay pending, and are folded again with the next ones or, should no
                // more come, a whole interval from now: a store that keeps failing is not hammered.
                TrimOldest(pending);
                ArmTimer(webhookId, health, retry: true);
                Volatile.Write(ref health.RetryWaiting, 1);
                Volatile.Write(ref health.Flushing, 0);
                return;
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
        // changed its health; a user's rename keeps it. Another instance's window gets this process's unwritten
        // outcomes on top; a reset (enabling) starts afresh. The window is carried apart from the config, which is
        // copied only for a transition or a write. A webhook created again with the id is one this process has not
        // written: its generations start again, and would be taken for the ones this process stored of the deleted one.
        var folded = health.Folded.CreatedAt == stored.CreatedAt ? health.Folded : Unfolded with { CreatedAt = stored.CreatedAt };
        var ours = folded.Generation == stored.Generation || stored.Health == folded.StoredWindow;
        var (config, window) = (stored, ours ? folded.Window : stored.Health);
        var brokeRun = false;
        if (!ours && stored.Health.Count > 0)
        {
            // Another instance writes this webhook's health too (a reset empties it).
            health.Shared = true;
            Fold(ref config, ref window, health.Unwritten, raised, ref brokeRun);
        }

        Fold(ref config, ref window, health.Pending, raised, ref brokeRun);

        // A transition counts as a change also when a later one in the same fold undid it (Warning, then Active again
        // after ten successes): its reason and time are stored, as they are when the outcomes are folded one by one.
        var now = timeProvider.GetUtcNow();
        var statusChanged = raised.Count > 0 || config.State != stored.State || config.Status != stored.Status;

        // A window the config already holds (the fold counted nothing: outcomes of an old URL, or from before an enable)
        // is not written, nor taken for this process's stored one: an empty window so stored would look like the next
        // reset's, and the outcomes folded after it would be carried over that reset.
        // An outcome that breaks the run a transition waits for (a success after failures; in Warning, a failure after
        // successes) is written at once when other instances write the webhook's health too: they go on from the stored
        // window, and would count a run of failures across a success kept here (an Error it was not).
        // The first window counted after a reset (an enable, a URL change, an accepted verification) is written at once
        // too: kept to write later, it rests on an empty stored window, which a user's change in between (a rename)
        // stores again at a new generation, and the recorder would take that for another's and drop its outcomes.
        var alreadyStored = !statusChanged && window == stored.Health;
        var afterReset = !ours && stored.Health.Count == 0;
        var writeNow = statusChanged || afterReset || (brokeRun && health.Shared) || Volatile.Read(ref _writeEveryFold);
        if (alreadyStored || (!writeNow && now - folded.StoredAt < PersistInterval))
        {
            health.Next = folded with { Generation = stored.Generation, Window = window };
            health.NextStoresAll = alreadyStored;
            return null;
        }

        health.Next = new FoldState(stored.Generation + 1, window, window, now, stored.CreatedAt);
        health.NextStoresAll = true;
        return new EndpointTransition(config with { Health = window, UpdatedAt = statusChanged ? now : stored.UpdatedAt }, stored.State, stored.Status, null);
    }

    private void Fold(ref WebhookConfig config, ref HealthWindow window, List<Outcome> outcomes, List<WebhookNotification> raised, ref bool brokeRun)
    {
        foreach (var (url, createdAt, startedAt, statusCode) in outcomes)
        {
            if (!string.Equals(url, config.Url, StringComparison.Ordinal)
                || createdAt != config.CreatedAt
                || (config.EnabledAt is { Count: > 0 } enables && startedAt < enables[^1]))
            {
                // Sent before the URL changed, to a deleted webhook whose id was given again, or before the webhook was
                // enabled again: says nothing about the endpoint as it is now (a late 410 from the old URL, from the
                // deleted webhook, or from before a re-enable, must not disable it).
                continue;
            }

            var success = statusCode is >= 200 and < 300;
            brokeRun |= success ? window.ConsecutiveFailures > 0 : config.Status == WebhookStatus.Warning && window.ConsecutiveSuccesses > 0;

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
    }

    /// <summary>After a fold is applied: what it wrote is forgotten, what it did not write is kept (the newest <see cref="MaxUnwritten"/>).</summary>
    private static void KeepUnwritten(WebhookHealth health)
    {
        var unwritten = health.Unwritten;
        if (health.NextStoresAll)
        {
            unwritten.Clear();
            return;
        }

        unwritten.AddRange(health.Pending);
        TrimOldest(unwritten);
    }

    /// <summary>Keeps the newest <see cref="MaxUnwritten"/> outcomes of a list that grew past twice as many.</summary>
    private static void TrimOldest(List<Outcome> outcomes)
    {
        if (outcomes.Count > 2 * MaxUnwritten)
        {
            // Trimmed in bursts, so that a busy webhook does not move the list on every fold.
            outcomes.RemoveRange(0, outcomes.Count - MaxUnwritten);
        }
    }

    /// <summary>Makes sure outcomes not written yet are written when <see cref="PersistInterval"/> has passed since the last write.</summary>
    private void ArmTimer(string webhookId, WebhookHealth health, bool retry = false)
    {
        if ((!retry && health.Unwritten.Count == 0) || Volatile.Read(ref _disposed) || Interlocked.CompareExchange(ref health.TimerArmed, 1, 0) != 0)
        {
            return;
        }

        // After a failed write, a whole interval from now: a store that keeps failing is not hammered.
        var due = retry ? PersistInterval : health.Folded.StoredAt + PersistInterval - timeProvider.GetUtcNow();
        health.Timer ??= timeProvider.CreateTimer(FlushDue, (this, webhookId, health), Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        try
        {
            health.Timer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile, with the recorder: nothing is written any more.
        }
    }

    /// <summary>An attempt's outcome, with the URL it was sent to and the creation time of the webhook it was made for.</summary>
    private readonly record struct Outcome(string Url, DateTimeOffset WebhookCreatedAt, DateTimeOffset StartedAt, int? StatusCode);

    private sealed class WebhookHealth
    {
        public readonly ConcurrentQueue<Outcome> Outcomes = new();
        public readonly List<Outcome> Pending = [];
        public readonly List<Outcome> Unwritten = [];
        public readonly List<WebhookNotification> Raised = [];
        public Func<WebhookConfig, EndpointTransition?>? Change;
        public Task Flush = Task.CompletedTask;
        public int Flushing;
        public FoldState Folded = Unfolded;
        public FoldState Next;

        // Whether the config holds every outcome folded once the fold is applied: it writes them, or holds them already.
        public bool NextStoresAll;

        public ITimer? Timer;
        public int TimerArmed;
        public int FlushRequested;

        // Set once a fold finds the health written by someone else since this process wrote it: another instance.
        public bool Shared;

        // 1 from a failed write until the next flush starts.
        public int RetryWaiting;
    }

    /// <summary>
    /// This process's window of a webhook: at which generation of the config it stands, and the window as this process
    /// last stored it, and when; <paramref name="CreatedAt"/> tells the webhook from another one given its id later.
    /// </summary>
    private readonly record struct FoldState(long Generation, HealthWindow Window, HealthWindow StoredWindow, DateTimeOffset StoredAt, DateTimeOffset CreatedAt);
}
