using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Webhooks.Core.Internal;

/// <summary>
/// The background delivery loop: claims due messages in batches, attempts them within the global and per-webhook
/// concurrency limits, and writes outcomes, health and notifications. On shutdown it stops claiming, lets the attempts
/// under way finish, and starts no more: the leases of claimed messages not yet attempted are released, so that another
/// instance claims them at once. Health outcomes not written yet are written last.
/// </summary>
internal sealed partial class WebhookDispatcher : BackgroundService
{
    /// <summary>How long a webhook waits for verification, at least, before housekeeping verifies it again.</summary>
    internal static readonly TimeSpan VerificationStrandedAfter = TimeSpan.FromMinutes(1);

    private const int VerificationBatch = 100;
    private const int MaxKnownDue = 1024;

    private readonly IWebhookStore _store;
    private readonly DeliveryAttempter _attempter;
    private readonly DispatcherOptions _options;
    private readonly RetryOptions _retry;
    private readonly TimeSpan _retention;
    private readonly TimeProvider _timeProvider;
    private readonly DispatchSignal _signal;
    private readonly WebhookStateChanges _states;
    private readonly NotificationDispatcher _notifications;
    private readonly WebhooksTelemetry _telemetry;
    private readonly VerificationRunner _verification;
    private readonly TimeSpan _verificationStrandedAfter;
    private readonly ILogger _logger;
    private readonly OutcomeWriter _outcomes;
    private readonly HealthRecorder _health;
    private readonly RetrySchedule _schedule;
    private readonly DispatchSignal _capacity = new();
    private readonly int _claimThreshold;
    private readonly int _prefetch;
    private readonly ConcurrentDictionary<string, WebhookLane> _lanes = new(StringComparer.Ordinal);

    // What the slow webhooks' lanes hold of the capacity together: at most half of it (workers and prefetch).
    private readonly SlowShare _slowShare;
    private readonly CancellationTokenSource _abortAttempts = new();

    // Taken once: attempts still running when the dispatcher is disposed (after a shutdown that ran out of time) read it.
    private readonly CancellationToken _abort;

    // A lease with less than this left is renewed before its attempt, so that the attempt cannot outlive it.
    private readonly TimeSpan _renewBelow;

    // How close to its maximum age a message is still claimed in time (a hundredth of the age, at most a minute): one
    // due by then is attempted when claimed within this after it, and a lane puts none off past this before it.
    private readonly TimeSpan _maxAgeMargin;

    // Claimed attempts waiting for a worker. A worker that finishes an attempt takes the next one from here at once,
    // on its own thread, rather than waiting for the claim loop; workers end when none is waiting.
    private readonly ConcurrentQueue<ReadyAttempt> _ready = new();
    private int _readyCount;

    // Claimed attempts queued in their webhook's lane for a slot: they count against the capacity, as the ready ones do.
    private int _laneWaiting;

    // When the retries this process scheduled are due, in UTC ticks: the idle loop wakes for the earliest. At most
    // MaxKnownDue are kept, the earliest; those past them are made at a poll.
    private readonly SortedSet<long> _knownDue = [];
    private readonly Lock _knownDueLock = new();

    // When the idle loop means to wake, in UTC ticks; long.MinValue while it is not idle. A retry scheduled earlier
    // than that wakes it, so that the retry is not late by up to the poll interval.
    private long _plannedWakeTicks = long.MinValue;
    private int _running;
    private TaskCompletionSource? _drained;
    private CancellationToken _stopping = new(canceled: true);

    public WebhookDispatcher(
        IWebhookStore store,
        DeliveryAttempter attempter,
        IOptions<WebhooksOptions> options,
        TimeProvider timeProvider,
        DispatchSignal signal,
        WebhookStateChanges states,
        NotificationDispatcher notifications,
        WebhooksTelemetry telemetry,
        VerificationRunner verification,
        ILogger<WebhookDispatcher> logger)
    {
        _store = store;
        _attempter = attempter;
        _options = options.Value.Dispatcher;
        _retry = options.Value.Retry;
        _retention = options.Value.Retention;
        _timeProvider = timeProvider;
        _signal = signal;
        _states = states;
        _notifications = notifications;
        _telemetry = telemetry;
        _verification = verification;

        // A verification takes one request, so a webhook Pending for much longer than that is not being verified.
        var twoAttempts = options.Value.Http.Timeout * 2;
        _verificationStrandedAfter = twoAttempts > VerificationStrandedAfter ? twoAttempts : VerificationStrandedAfter;
        _logger = logger;
        _outcomes = new OutcomeWriter(store, timeProvider, logger, PostponementRefusedAsync);
        _health = new HealthRecorder(states, notifications, timeProvider, logger);
        _schedule = new RetrySchedule(options.Value.Retry);
        _claimThreshold = Math.Min(_options.BatchSize, Math.Max(1, _options.MaxConcurrency / 4));
        _prefetch = _options.MaxConcurrency / 2;
        _slowShare = new SlowShare((_options.MaxConcurrency + _prefetch) / 2);
        _abort = _abortAttempts.Token;
        _renewBelow = (_options.LeaseDuration + options.Value.Http.Timeout) / 2;
        _maxAgeMargin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, _retry.MaxAge.Ticks / 100));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Attempts under way may finish until the host's shutdown timeout; then they are aborted. Not by a callback
        // registered on the token for the length of this method: the base's own wait on the token is called back
        // first, ends this method, and so unregisters that callback before it runs (every attempt ran on).
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
        {
            await _abortAttempts.CancelAsync().ConfigureAwait(false);
            return;
        }

        // What the drain raised (a message failed by the last attempt under way) is handled before the dispatcher counts
        // as stopped. The notification drain stops after the dispatcher, but not when the host stops its services
        // concurrently (HostOptions.ServicesStopConcurrently): it was then done before these were raised.
        await _notifications.DrainAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        // A host disposed without being stopped: the attempts under way are aborted, as when the shutdown runs out of
        // time, rather than left sending after the host is gone.
        base.Dispose();
        _abortAttempts.Cancel();
        _health.Dispose();
        _abortAttempts.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The loop runs in the context of the call that started the host: under an activity current then, every
        // attempt of the process would join that one trace rather than start its own.
        Activity.Current = null;
        if (!_options.Enabled)
        {
            return;
        }

        _stopping = stoppingToken;
        using var wakeups = (_store as IDueMessageNotifier)?.Subscribe(_signal.Notify);
        try
        {
            await RunLoopAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            // Message outcomes before health: should the shutdown's time run out, a message not marked delivered is
            // delivered again.
            await DrainAsync().ConfigureAwait(false);
            await _outcomes.DrainAsync().ConfigureAwait(false);
            await _health.WriteUnwrittenAsync().ConfigureAwait(false);
        }
    }

    private async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        var nextHousekeeping = _timeProvider.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = _timeProvider.GetUtcNow();
            if (now >= nextHousekeeping)
            {
                await HousekeepAsync(now, stoppingToken).ConfigureAwait(false);
                nextHousekeeping = now + _options.HousekeepingInterval;
            }

            // Claim what can start at once and up to half as much again, ready for the attempts that finish next (their
            // leases are renewed should they wait long); and under load wait until a quarter of the capacity is free,
            // so claims come in batches rather than one message per finished attempt.
            var free = FreeCapacity;
            if (free < _claimThreshold && Volatile.Read(ref _laneWaiting) > 0)
            {
                // A slow webhook may hold the capacity with attempts queued while it still seemed fast.
                ShedSlowLanes();
                free = FreeCapacity;
            }

            if (free < _claimThreshold)
            {
                await _capacity.WaitAsync(_options.PollInterval, _timeProvider, stoppingToken).ConfigureAwait(false);
                continue;
            }

            IReadOnlyList<MessageLease> leases;
            long changesAtClaim;
            var wanted = Math.Min(free, _options.BatchSize);
            try
            {
                ForgetKnownDueUpTo(now);
                changesAtClaim = _signal.Changes;
                leases = await _store.ClaimDueAsync(now, wanted, _options.LeaseDuration, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Log.ClaimFailed(_logger, ex, _options.PollInterval);
                await _signal.WaitAsync(_options.PollInterval, _timeProvider, stoppingToken).ConfigureAwait(false);
                continue;
            }

            if (leases.Count > 0)
            {
                try
                {
                    await DispatchAsync(leases, now, changesAtClaim).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The store failed reading a webhook or parking messages: what was not started keeps its lease,
                    // which lapses, and is claimed again. The loop goes on.
                    Log.DispatchFailed(_logger, ex, leases.Count, _options.PollInterval);
                    await _signal.WaitAsync(_options.PollInterval, _timeProvider, stoppingToken).ConfigureAwait(false);
                    continue;
                }
            }

            // A claim that got less than it asked for took everything due: claiming again at once would come back
            // empty (a wasted round trip on a database store). Wait for the next publish, notification or due retry;
            // one that came during the claim has left the signal set, so nothing is missed.
            if (leases.Count < wanted)
            {
                await IdleAsync(nextHousekeeping, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Gets how many more attempts may be claimed: the workers' capacity and the prefetch, less what runs or waits (for a worker or its webhook's slot).</summary>
    private int FreeCapacity =>
        _options.MaxConcurrency + _prefetch - Volatile.Read(ref _running) - Volatile.Read(ref _readyCount) - Volatile.Read(ref _laneWaiting);

    /// <summary>
    /// Sleeps until the poll interval, the next housekeeping, or the earliest retry this process scheduled, whichever
    /// comes first, also when that retry is scheduled during the sleep; or until woken.
    /// </summary>
    private async Task IdleAsync(DateTimeOffset nextHousekeeping, CancellationToken stoppingToken)
    {
        // Planned "now" first, so that a retry scheduled while the delay is worked out wakes the sleep at once. The delay
        // counts from the clock as it is now, not as the claim read it: attempts that completed at once within the
        // dispatch (a transport that answers without waiting) took time the sleep must not add again.
        Interlocked.Exchange(ref _plannedWakeTicks, long.MaxValue);
        var now = _timeProvider.GetUtcNow();
        var delay = IdleDelay(now, nextHousekeeping);
        Interlocked.Exchange(ref _plannedWakeTicks, (now + delay).UtcTicks);
        try
        {
            await _signal.WaitAsync(delay, _timeProvider, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Exchange(ref _plannedWakeTicks, long.MinValue);
        }
    }

    /// <summary>Forgets the known due times a claim at <paramref name="now"/> takes; later ones are kept.</summary>
    private void ForgetKnownDueUpTo(DateTimeOffset now)
    {
        lock (_knownDueLock)
        {
            while (_knownDue.Count > 0 && _knownDue.Min <= now.UtcTicks)
            {
                _knownDue.Remove(_knownDue.Min);
            }
        }
    }

    private TimeSpan IdleDelay(DateTimeOffset now, DateTimeOffset nextHousekeeping)
    {
        var wake = now + _options.PollInterval;
        lock (_knownDueLock)
        {
            if (_knownDue.Count > 0 && _knownDue.Min < wake.UtcTicks)
            {
                wake = new DateTimeOffset(_knownDue.Min, TimeSpan.Zero);
            }
        }

        if (nextHousekeeping < wake)
        {
            wake = nextHousekeeping;
        }

        return wake - now;
    }

    /// <summary>Notes when a retry this process scheduled is due, and wakes the idle loop if it means to sleep past it.</summary>
    private void NoteNextDue(DateTimeOffset? due)
    {
        if (due is not { } at)
        {
            return;
        }

        var ticks = at.UtcTicks;
        lock (_knownDueLock)
        {
            if (!_knownDue.Add(ticks))
            {
                return;
            }

            if (_knownDue.Count > MaxKnownDue)
            {
                var latest = _knownDue.Max;
                _knownDue.Remove(latest);
                if (latest == ticks)
                {
                    return;
                }
            }
        }

        if (ticks < Interlocked.Read(ref _plannedWakeTicks))
        {
            _signal.Notify();
        }
    }
}
