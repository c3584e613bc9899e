using System.Runtime.CompilerServices;

namespace Webhooks.Core.Internal;

/// <content>Attempts: claimed messages decided (expired, held or attempted), each attempt made, its outcome written.</content>
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

    /// <summary>How long after its claim an attempt reads its message and webhook again before it is made.</summary>
    internal static readonly TimeSpan LookAgainAfter = TimeSpan.FromSeconds(1);

    private const string WebhookDeletedReason = "Undeliverable: its webhook was deleted.";

    private string ExpiryReason => MessageLifecycle.MaxAgeReason(_retry.MaxAge);

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

    /// <summary>Gets how many webhooks the dispatcher keeps per-webhook state for.</summary>
    internal int TrackedWebhookCount => _health.WebhookIds.Union(_lanes.Keys, StringComparer.Ordinal).Count();

    /// <summary>Completes when the health of every attempt whose outcome is already stored has been recorded.</summary>
    internal Task HealthSettledAsync() => _health.DrainAsync();
}
