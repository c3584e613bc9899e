namespace Webhooks.Core.Internal;

/// <content>Housekeeping: expiry and retention, webhooks deleted, verifications left stranded.</content>
internal sealed partial class WebhookDispatcher
{
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
}
