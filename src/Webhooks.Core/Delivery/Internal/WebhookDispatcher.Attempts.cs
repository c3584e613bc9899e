using System.Runtime.CompilerServices;

namespace Webhooks.Core.Internal;

internal sealed partial class WebhookDispatcher
{
    private async Task DispatchAsync(IReadOnlyList<MessageLease> leases, DateTimeOffset now, long changesAtClaim)
    {
        var configs = new Dictionary<string, WebhookConfig?>(StringComparer.Ordinal);
        List<MessageOutcome>? unattempted = null;
        try
        {
            foreach (var lease in leases)
            {
                var message = lease.Message;
                if (!configs.TryGetValue(message.WebhookId, out var config))
                {
                    // Not cancelled by a stop: a claimed batch is always handed on whole, so that what is not attempted
                    // is released (below, or by the workers) rather than left leased.
                    config = await _store.GetConfigAsync(message.WebhookId, CancellationToken.None).ConfigureAwait(false);
                    configs[message.WebhookId] = config;
                }

                if (config is null || !IsWebhookOf(config, message))
                {
                    // The webhook was deleted while this message was being published, after its messages were: give the
                    // message up, or it would be claimed after every lease forever. Retention forgets it. A webhook of
                    // another tenant that took the id since is not the one it was routed to.
                    _outcomes.Add(new MessageOutcome(lease.LeaseId, MessageLifecycle.Expire(message, WebhookDeletedReason), null));
                    continue;
                }

                if (Decide(lease, config, now, changesAtClaim) is { } outcome)
                {
                    (unattempted ??= []).Add(outcome);
                }
            }
        }
        finally
        {
            // What was made ready runs, also when reading a later webhook failed: its lease is held.
            StartWorkers();
        }

        if (unattempted is not null)
        {
            await SettleAsync(unattempted, leases, configs, now, changesAtClaim).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Makes a claimed message ready for its attempt, or returns the outcome that settles it unattempted: expired past
    /// its maximum age, or held while its webhook is not sending. The outcome holds only while the message is as read
    /// (see <see cref="SettleAsync"/>).
    /// </summary>
    private MessageOutcome? Decide(MessageLease lease, WebhookConfig config, DateTimeOffset now, long changesAtClaim)
    {
        // A retry the user asked for is attempted whatever the message's age (recovering after a long outage). One due
        // by the maximum age (at it, at the latest, as the lifecycle schedules) is still made when it is claimed a moment
        // after (a timer fires late, a busy dispatcher claims in turn): within the margin, not days later.
        var message = lease.Message;
        if ((AgeWhenDue(message, now) > _retry.MaxAge || now - message.CreatedAt - _maxAgeMargin > _retry.MaxAge)
            && !MessageLifecycle.IsRetryRequested(message))
        {
            return new MessageOutcome(lease.LeaseId, MessageLifecycle.Expire(message, ExpiryReason), null) { Expected = message };
        }

        if (!config.IsSending)
        {
            return new MessageOutcome(lease.LeaseId, MessageLifecycle.Hold(message), null) { Expected = message };
        }

        _ready.Enqueue(new ReadyAttempt(lease, config, changesAtClaim));
        Interlocked.Increment(ref _readyCount);
        return null;
    }

    /// <summary>
    /// Writes expiries and holds of claimed messages, each only while its message is as it was read: a retry or a cancel
    /// the user made since, in this process or in another instance, stands until the outcome is written, and either
    /// would be written over. A message changed meanwhile is decided again as it is now (a retry is attempted, or held
    /// keeping its reason; a cancel is left as it is, not reported failed). One that keeps changing is given back, due,
    /// to be decided by the claim that takes it next. Expiries written are reported, and the webhooks of holds written
    /// are read again: one that started sending in between would otherwise never resume the messages just parked.
    /// </summary>
    private async Task SettleAsync(
        List<MessageOutcome> outcomes, IReadOnlyList<MessageLease> leases, IReadOnlyDictionary<string, WebhookConfig?> configs, DateTimeOffset now, long changesAtClaim)
    {
        HashSet<string>? held = null;
        for (var round = 1; outcomes.Count > 0; round++)
        {
            var changed = await _store.CompleteIfUnchangedAsync(outcomes, CancellationToken.None).ConfigureAwait(false);
            var refused = changed.Count == 0 ? null : changed.ToDictionary(static m => m.Id, StringComparer.Ordinal);
            List<MessageOutcome>? again = null;
            foreach (var outcome in outcomes)
            {
                if (refused?.GetValueOrDefault(outcome.Message.Id) is not { } current)
                {
                    if (outcome.Message.Status == MessageStatus.Failed)
                    {
                        MessageFailed(outcome.Message);
                    }
                    else
                    {
                        (held ??= new HashSet<string>(StringComparer.Ordinal)).Add(outcome.Message.WebhookId);
                    }

                    continue;
                }

                var lease = leases.First(l => l.LeaseId == outcome.LeaseId) with { Message = current };
                if (current.IsFinished)
                {
                    // Cancelled meanwhile: the lease is released and the message left as it is.
                    _outcomes.Add(new MessageOutcome(lease.LeaseId, current, null));
                }
                else if (round == MaxSettleRounds || configs.GetValueOrDefault(current.WebhookId) is not { } config)
                {
                    await ReleaseAsync(lease).ConfigureAwait(false);
                }
                else if (Decide(lease, config, now, changesAtClaim) is { } next)
                {
                    (again ??= []).Add(next);
                }
            }

            StartWorkers();
            outcomes = again ?? [];
        }

        foreach (var webhookId in held ?? [])
        {
            var config = await _store.GetConfigAsync(webhookId, CancellationToken.None).ConfigureAwait(false);
            if (config is { IsSending: true })
            {
                await _store.ResumeHeldAsync(webhookId, _timeProvider.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
                _signal.Notify();
            }
        }
    }

    /// <summary>How many times the outcome of a claimed message changed meanwhile is decided again before it is given back.</summary>
    private const int MaxSettleRounds = 3;

    /// <summary>
    /// How old a claimed message was when it fell due: a held message resumed is due when it was resumed, so one held
    /// past its maximum age still expires.
    /// </summary>
    private static TimeSpan AgeWhenDue(DeliveryMessage message, DateTimeOffset now) =>
        (message.NextAttemptAt is { } due && due < now ? due : now) - message.CreatedAt;

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

    /// <summary>How long after its claim an attempt reads its message and webhook again before it is made.</summary>
    internal static readonly TimeSpan LookAgainAfter = TimeSpan.FromSeconds(1);

    private const string WebhookDeletedReason = "Undeliverable: its webhook was deleted.";

    private string ExpiryReason => $"Undeliverable: not delivered within {ReasonText.Duration(_retry.MaxAge)}.";

    /// <summary>
    /// Runs a claimed attempt within its webhook's limit: at once when a slot is free; else queued for the next free
    /// slot, holding no worker; or, when as many wait as the lane allows, put off (<see cref="WebhookLane"/>).
    /// The worker that gives a slot back runs the attempts queued for it.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask RunInLaneAsync(ReadyAttempt ready)
    {
        var lane = _lanes.GetOrAdd(ready.Config.Id, static (_, dispatcher) => dispatcher.NewLane(), this);
        if (!lane.TryEnter())
        {
            if (!lane.TryWait(ready))
            {
                // Put off, unless that would take it past its maximum age (it was claimed in time, so it waits), or
                // this process changed a message since the claim (it waits, to be read again before its attempt).
                if (MayPostpone(ready) && PostponedUntil(ready.Lease, lane.NextPostponement()) is { } until)
                {
                    Postpone(ready.Lease, until);
                    return;
                }

                lane.WaitAnyway(ready);
            }

            Interlocked.Increment(ref _laneWaiting);

            // A slot given back while this attempt was being queued: that worker may have looked before it was.
            if (!TakeWaiting(lane, out ready))
            {
                return;
            }
        }

        do
        {
            try
            {
                await AttemptAsync(ready, lane).ConfigureAwait(false);
            }
            finally
            {
                lane.Exit();
            }
        }
        while (TakeWaiting(lane, out ready));
    }

    /// <summary>
    /// A webhook's lane: its slots, and, when it is slow, room for claimed attempts to wait within half the dispatcher's
    /// capacity (workers and prefetch), which the slow webhooks share, so that the other half serves the other webhooks.
    /// </summary>
    private WebhookLane NewLane()
    {
        var slots = _options.MaxConcurrencyPerWebhook;
        // Its slots count against that half too: with a limit above a quarter of the capacity none may wait.
        return new WebhookLane(slots, Math.Max(0, _slowShare.Limit - slots), _options.LeaseDuration, _slowShare, _timeProvider);
    }

    /// <summary>Takes the lane's next waiting attempt with a slot, after putting off what a slow webhook has waiting in excess.</summary>
    private bool TakeWaiting(WebhookLane lane, out ReadyAttempt ready)
    {
        Shed(lane);
        if (!lane.TryTakeWaiting(out ready))
        {
            NotifyIfCapacityFree();
            return false;
        }

        Interlocked.Decrement(ref _laneWaiting);

        // The attempt just finished freed a place in the capacity (this worker runs the waiting one in its stead): the
        // claim loop may be waiting for it.
        NotifyIfCapacityFree();
        return true;
    }

    private void NotifyIfCapacityFree()
    {
        if (FreeCapacity >= _claimThreshold)
        {
            _capacity.Notify();
        }
    }

    /// <summary>Puts off the attempts slow webhooks have waiting in excess: when the capacity is taken, some may be theirs.</summary>
    private void ShedSlowLanes()
    {
        // A webhook turns slow with nothing changing in its lane (its attempts simply take long): each is counted in the
        // slow webhooks' share as it is now before any is shed.
        var lanes = _lanes.Values;
        foreach (var lane in lanes)
        {
            lane.Publish();
        }

        foreach (var lane in lanes)
        {
            if (!Shed(lane))
            {
                continue;
            }

            // What Shed kept was out of the lane for a moment: a worker giving a slot back then found none waiting and
            // left. As many as there are free slots go through the ready queue again (the slots held meanwhile, so that
            // no more go than can start).
            var moved = 0;
            while (lane.TryTakeWaiting(out var stranded))
            {
                moved++;
                Interlocked.Decrement(ref _laneWaiting);
                _ready.Enqueue(stranded);
                Interlocked.Increment(ref _readyCount);
            }

            for (; moved > 0; moved--)
            {
                lane.Exit();
            }

            StartWorkers();
        }
    }

    /// <summary>
    /// Puts off what a slow webhook has waiting in excess, but for those that may not be put off: too close to their
    /// maximum age (claimed in time, they wait), or claimed before a change this process made. Returns whether it kept any.
    /// </summary>
    private bool Shed(WebhookLane lane)
    {
        List<ReadyAttempt>? kept = null;
        while (lane.TryShed(out var excess))
        {
            if (MayPostpone(excess) && PostponedUntil(excess.Lease, lane.NextPostponement()) is { } until)
            {
                Interlocked.Decrement(ref _laneWaiting);
                Postpone(excess.Lease, until);
            }
            else
            {
                (kept ??= []).Add(excess);
            }
        }

        foreach (var attempt in kept ?? [])
        {
            lane.WaitAnyway(attempt);
        }

        return kept is not null;
    }

    /// <summary>
    /// Whether a claimed attempt may be put off: the message is written back as claimed, with a later time, so not once
    /// this process has changed a message since the claim (a user's retry or cancel would be undone).
    /// </summary>
    private bool MayPostpone(ReadyAttempt ready) => _signal.Changes == ready.ChangesAtClaim;

    /// <summary>
    /// When a message put off by <paramref name="delay"/> is due again: no later than a margin before its maximum age
    /// (a hundredth of it, at most a minute), so that the claim that takes it does not find it expired; <see langword="null"/>
    /// when even now is past that. A retry the user asked for has no maximum age.
    /// </summary>
    private DateTimeOffset? PostponedUntil(MessageLease lease, TimeSpan delay)
    {
        var now = _timeProvider.GetUtcNow();
        var message = lease.Message;
        if (MessageLifecycle.IsRetryRequested(message))
        {
            return now + delay;
        }

        var latest = Instants.Later(message.CreatedAt, _retry.MaxAge) - _maxAgeMargin;
        return latest <= now ? null : now + delay < latest ? now + delay : latest;
    }

    /// <summary>Puts a claimed message off, unattempted, and gives its lease back.</summary>
    private void Postpone(MessageLease lease, DateTimeOffset until)
    {
        _outcomes.Add(new MessageOutcome(lease.LeaseId, lease.Message with { NextAttemptAt = until }, null));
        NoteNextDue(until);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AttemptAsync(ReadyAttempt ready, WebhookLane? lane)
    {
        var (lease, config, changesAtClaim) = ready;
        var message = lease.Message;
        var sendingStarted = false;
        try
        {
            if (_stopping.IsCancellationRequested)
            {
                // Stopping before this attempt started (it waited for a worker or its webhook's slot): it is not made.
                await ReleaseAsync(lease).ConfigureAwait(false);
                return;
            }

            if (await PrepareAsync(lease, config, changesAtClaim).ConfigureAwait(false) is not { } prepared)
            {
                return;
            }

            (message, config) = prepared;
            sendingStarted = true;
            var sending = _attempter.Start(config, message.Id, message.Payload, message.AttemptCount + 1, _abort, out var started);
            using var activity = started.Activity;
            DeliveryResult result;
            try
            {
                result = await sending.ConfigureAwait(false);
            }
            catch (Exception ex) when (!_abort.IsCancellationRequested)
            {
                Log.TransportFailed(_logger, ex, message.Id, config.Id);
                result = _attempter.Threw(started, ex);
            }
            catch (Exception ex)
            {
                DeliveryAttempter.Abandon(started, ex);
                throw;
            }

            var attempt = _attempter.Finish(started, result);
            lane?.NoteAttempt(result.Duration);
            if (message.AttemptCount == 0)
            {
                _telemetry.FirstAttemptDelay.Record((attempt.Timestamp - message.CreatedAt).TotalSeconds);
            }

            var updated = result.Succeeded
                ? MessageLifecycle.Succeeded(message, attempt)
                : MessageLifecycle.AttemptFailed(message, attempt, _timeProvider.GetUtcNow(), _schedule, _retry.MaxAge, result.RetryAfter);
            // Health first: once the outcome is visible in the store, its health record is already under way.
            _health.Record(config, attempt.Timestamp, result.StatusCode);
            _outcomes.Add(new MessageOutcome(lease.LeaseId, updated, attempt));
            NoteNextDue(updated.NextAttemptAt);
            Log.AttemptMade(_logger, attempt.Number, message.Id, config.Id, attempt.StatusCode, attempt.Duration);
            if (updated.Status == MessageStatus.Failed)
            {
                await MessageFailedUnlessCancelledAsync(updated).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // Shutdown ran out of time. An attempt under way lets its lease lapse, and another dispatcher attempts the
            // message again; one not started yet gives its message back at once.
            if (!sendingStarted)
            {
                await ReleaseAsync(lease).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            Log.AttemptCrashed(_logger, ex, message.Id);
            if (!sendingStarted)
            {
                // The store failed while the attempt was readied (its lease perhaps just renewed): give the message
                // back at once rather than after a whole lease.
                await ReleaseAsync(lease).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Readies a claimed attempt: renews its lease when the attempt could outlive it, and reads the message and its
    /// webhook again when either may have changed since the claim (cancelled, deleted, a new URL, headers or secrets,
    /// no longer sending: disabled, 410 Gone, too many failures): when this process changed a webhook or a message
    /// since, or <see cref="LookAgainAfter"/> has passed (another instance's change). An attempt that starts at once,
    /// with nothing changed, does not pay for the look. Returns <see langword="null"/> when the attempt is not to be
    /// made; the message is then settled.
    /// </summary>
    private async ValueTask<(DeliveryMessage Message, WebhookConfig Config)?> PrepareAsync(MessageLease lease, WebhookConfig config, long changesAtClaim)
    {
        var now = _timeProvider.GetUtcNow();
        var waited = _signal.Changes != changesAtClaim || now - (lease.ExpiresAt - _options.LeaseDuration) >= LookAgainAfter;
        if ((waited || lease.ExpiresAt - now <= _renewBelow)
            && !await _store.RenewLeaseAsync(lease, now + _options.LeaseDuration, _abort).ConfigureAwait(false))
        {
            return null;
        }

        if (!waited)
        {
            return (lease.Message, config);
        }

        var message = await _store.GetMessageAsync(lease.Message.Id, _abort).ConfigureAwait(false);
        if (message is null)
        {
            return null;
        }

        if (message.IsFinished)
        {
            // Cancelled meanwhile: the lease is released and the message left as it is.
            await _store.CompleteAsync([new MessageOutcome(lease.LeaseId, message, null)], CancellationToken.None).ConfigureAwait(false);
            return null;
        }

        var current = await _store.GetConfigAsync(config.Id, _abort).ConfigureAwait(false);
        if (current is null || !IsWebhookOf(current, message))
        {
            await _store.CompleteAsync([new MessageOutcome(lease.LeaseId, MessageLifecycle.Expire(message, WebhookDeletedReason), null)], CancellationToken.None).ConfigureAwait(false);
            return null;
        }

        if (!current.IsSending)
        {
            var hold = new MessageOutcome(lease.LeaseId, MessageLifecycle.Hold(message), null) { Expected = message };
            await SettleAsync([hold], [lease], new Dictionary<string, WebhookConfig?>(StringComparer.Ordinal) { [current.Id] = current }, now, changesAtClaim)
                .ConfigureAwait(false);
            return null;
        }

        return (message, current);
    }

    /// <summary>
    /// Whether <paramref name="config"/> may be the webhook <paramref name="message"/> was routed to: webhook ids are
    /// global and may be chosen, so once a webhook is deleted another tenant may create one with its id, and the
    /// deleted webhook's messages must not go to that tenant's endpoint.
    /// </summary>
    private static bool IsWebhookOf(WebhookConfig config, DeliveryMessage message) =>
        string.Equals(config.TenantId, message.TenantId, StringComparison.Ordinal);

    /// <summary>Gives a claimed message back to the store, due now, for an attempt that will not be made here.</summary>
    private async ValueTask ReleaseAsync(MessageLease lease)
    {
        try
        {
            await _store.RenewLeaseAsync(lease, _timeProvider.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Nothing is lost: the lease lapses by itself, later.
            Log.LeaseReleaseFailed(_logger, ex, lease.Message.Id);
        }
    }

    /// <summary>
    /// Reports a message its last attempt failed, unless the user cancelled it during that attempt (or its webhook was
    /// deleted): the store keeps it cancelled, so it did not fail, and the host is not told it did.
    /// </summary>
    private async ValueTask MessageFailedUnlessCancelledAsync(DeliveryMessage failed)
    {
        DeliveryMessage? stored;
        try
        {
            stored = await _store.GetMessageAsync(failed.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Told rather than lost: a cancel during the last attempt is the rare case.
            Log.FailedMessageReadFailed(_logger, ex, failed.Id);
            stored = failed;
        }

        if (stored is not null && stored.Status != MessageStatus.Cancelled)
        {
            MessageFailed(failed);
        }
    }

    private void MessageFailed(DeliveryMessage message)
    {
        _telemetry.MessagesFailed.Add(1);
        Log.MessageFailed(_logger, message.Id, message.WebhookId, message.StatusReason);
        _notifications.Raise(
            new WebhookNotification(WebhookNotificationKind.MessageFailed, message.WebhookId, message.TenantId, message.StatusReason ?? "Undeliverable.", message.Id));
    }

    private async Task HousekeepAsync(DateTimeOffset now, CancellationToken stoppingToken)
    {
        try
        {
            // A maximum age longer than the calendar goes back expires nothing (and does not overflow).
            var createdBefore = Instants.Earlier(now, _retry.MaxAge);
            var expired = await _store.FailExpiredHeldAsync(createdBefore, ExpiryReason, stoppingToken).ConfigureAwait(false);
            foreach (var message in expired)
            {
                MessageFailed(message);
            }

            var purged = await _store.PurgeAsync(Instants.Earlier(now, _retention), stoppingToken).ConfigureAwait(false);
            await ForgetDeletedWebhooksAsync(stoppingToken).ConfigureAwait(false);
            await QueueStrandedVerificationsAsync(now, stoppingToken).ConfigureAwait(false);
            if (expired.Count > 0 || purged > 0)
            {
                Log.HousekeepingDone(_logger, expired.Count, purged);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            Log.HousekeepingFailed(_logger, ex);
        }
    }

    /// <summary>Drops the per-webhook state (health window, concurrency slot) of webhooks deleted since, so it does not pile up.</summary>
    private async Task ForgetDeletedWebhooksAsync(CancellationToken stoppingToken)
    {
        foreach (var webhookId in _health.WebhookIds.Union(_lanes.Keys, StringComparer.Ordinal).ToArray())
        {
            if (await _store.GetConfigAsync(webhookId, stoppingToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            _health.Forget(webhookId);

            // A lane with attempts under way or waiting stays; a later pass drops it. An attempt that took it just now
            // still works: the lane is only dropped from the map.
            if (_lanes.TryGetValue(webhookId, out var lane) && lane.IsIdle)
            {
                _lanes.TryRemove(KeyValuePair.Create(webhookId, lane));
            }
        }
    }

    /// <summary>
    /// Verifies again the webhooks that have waited for verification much longer than it takes: the process that
    /// queued it stopped first. Their messages are held meanwhile.
    /// </summary>
    private async Task QueueStrandedVerificationsAsync(DateTimeOffset now, CancellationToken stoppingToken)
    {
        var stranded = await _store.ListAwaitingVerificationAsync(now - _verificationStrandedAfter, VerificationBatch, stoppingToken).ConfigureAwait(false);
        foreach (var config in stranded)
        {
            if (_verification.QueueUnlessPending(config.Id))
            {
                Log.VerificationResumed(_logger, config.Id, config.UpdatedAt);
            }
        }
    }

    /// <summary>Gets how many webhooks the dispatcher keeps per-webhook state for.</summary>
    internal int TrackedWebhookCount => _health.WebhookIds.Union(_lanes.Keys, StringComparer.Ordinal).Count();

    /// <summary>Completes when the health of every attempt whose outcome is already stored has been recorded.</summary>
    internal Task HealthSettledAsync() => _health.DrainAsync();

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

/// <summary>
/// A claimed attempt waiting for a worker, with the webhook as read when it was claimed, and how many changes this
/// process had made before the claim.
/// </summary>
internal readonly record struct ReadyAttempt(MessageLease Lease, WebhookConfig Config, long ChangesAtClaim);
