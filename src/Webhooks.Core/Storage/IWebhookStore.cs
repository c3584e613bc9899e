namespace Webhooks.Core;

/// <summary>
/// Holds webhook configs and their messages. Implementations must be safe for concurrent use and, for
/// stores shared by several host instances, safe across processes: a message is held by at most one
/// lease at a time, and a completion whose lease is no longer held changes nothing.
/// </summary>
/// <remarks>
/// Failures surface as exceptions to the caller; the dispatcher logs them and tries again later.
/// <c>Webhooks.Core.Testing</c> has a conformance suite that any implementation should pass.
/// </remarks>
public interface IWebhookStore
{
    /// <summary>
    /// Stores a new config. Messages stored with its id before it (for a deleted config of that id, by a publish that
    /// routed to it just before the delete and stored them after) are the deleted config's: they are deleted with their
    /// attempts, as the delete would have, so that the new config starts without them.
    /// </summary>
    /// <param name="config">The config, with <see cref="WebhookConfig.Generation"/> 1.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <exception cref="WebhookConflictException">A config with the same id exists.</exception>
    ValueTask AddConfigAsync(WebhookConfig config, CancellationToken cancellationToken);

    /// <summary>Reads a config.</summary>
    /// <param name="id">The config id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The config, or <see langword="null"/> when there is none.</returns>
    ValueTask<WebhookConfig?> GetConfigAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a config if it is still at <paramref name="expectedGeneration"/>, and is still the config that was read:
    /// one deleted and created again with its id since (ids may be chosen, so perhaps by another tenant) starts its
    /// generations again, and is told apart by its <see cref="WebhookConfig.TenantId"/> and
    /// <see cref="WebhookConfig.CreatedAt"/>, which an update keeps.
    /// </summary>
    /// <param name="config">The new content.</param>
    /// <param name="expectedGeneration">The generation the caller read.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The stored config, with <see cref="WebhookConfig.Generation"/> = <paramref name="expectedGeneration"/> + 1.</returns>
    /// <exception cref="WebhookNotFoundException">The config does not exist.</exception>
    /// <exception cref="WebhookConcurrencyException">
    /// The stored generation differs, or the stored config has another tenant or creation time than <paramref name="config"/>.
    /// </exception>
    ValueTask<WebhookConfig> UpdateConfigAsync(WebhookConfig config, long expectedGeneration, CancellationToken cancellationToken);

    /// <summary>Deletes a config and all its messages and attempts.</summary>
    /// <param name="id">The config id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when a config was deleted.</returns>
    ValueTask<bool> DeleteConfigAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a config and all its messages and attempts if it is still at <paramref name="expectedGeneration"/>: the
    /// check and the delete are one step, so a change made meanwhile (another caller's, an <c>If-Match</c> gone stale)
    /// is never deleted unseen.
    /// </summary>
    /// <remarks>
    /// The default reads the config, compares and deletes: two steps, so a change landing between them is deleted. A
    /// store that can make them one (both of the library's stores do) should.
    /// </remarks>
    /// <param name="id">The config id.</param>
    /// <param name="expectedGeneration">The generation the caller read.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when the config was deleted; <see langword="false"/> when it does not exist.</returns>
    /// <exception cref="WebhookConcurrencyException">The stored generation differs; nothing was deleted.</exception>
    async ValueTask<bool> DeleteConfigAsync(string id, long expectedGeneration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (await GetConfigAsync(id, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return false;
        }

        if (current.Generation != expectedGeneration)
        {
            throw WebhookConcurrencyException.AtGeneration(id, current.Generation, expectedGeneration);
        }

        return await DeleteConfigAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes a config and all its messages and attempts if it is still <paramref name="config"/> as the caller read it:
    /// at its <see cref="WebhookConfig.Generation"/>, and not deleted and created again with its id since (ids may be
    /// chosen, so perhaps by another tenant), which starts its generations again and is told apart by its
    /// <see cref="WebhookConfig.TenantId"/> and <see cref="WebhookConfig.CreatedAt"/>, as in <see cref="UpdateConfigAsync"/>.
    /// </summary>
    /// <remarks>
    /// The default compares the config it reads with <paramref name="config"/> and then deletes at its generation: a
    /// config deleted and created again between the two is deleted. A store that can make them one (both of the
    /// library's stores do) should.
    /// </remarks>
    /// <param name="config">The config as the caller read it.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when the config was deleted; <see langword="false"/> when it does not exist.</returns>
    /// <exception cref="WebhookConcurrencyException">
    /// The stored config is at another generation, or has another tenant or creation time; nothing was deleted.
    /// </exception>
    async ValueTask<bool> DeleteConfigAsync(WebhookConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (await GetConfigAsync(config.Id, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return false;
        }

        if (!current.IsSameWebhookAs(config))
        {
            throw WebhookConcurrencyException.CreatedAgain(config.Id);
        }

        return await DeleteConfigAsync(config.Id, config.Generation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists configs of one tenant, newest first.</summary>
    /// <param name="query">The filters and page.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    ValueTask<WebhookPage<WebhookConfig>> ListConfigsAsync(WebhookConfigQuery query, CancellationToken cancellationToken);

    /// <summary>Reads every config of a tenant, in any state, for routing events.</summary>
    /// <param name="tenantId">The tenant, or <see langword="null"/> for the default tenant.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    ValueTask<IReadOnlyList<WebhookConfig>> GetTenantConfigsAsync(string? tenantId, CancellationToken cancellationToken);

    /// <summary>
    /// Lists enabled configs still waiting for verification (<see cref="WebhookStatus.Pending"/>) in every tenant,
    /// last updated before <paramref name="updatedBefore"/>, least recently updated first. The dispatcher verifies them
    /// again: their verification was queued by a process that stopped before running it.
    /// </summary>
    /// <remarks>The default implementation finds none, so a store without it leaves such configs Pending until their next test or re-enable.</remarks>
    /// <param name="updatedBefore">Only configs last updated before this time; younger ones may be being verified now.</param>
    /// <param name="maxCount">The most configs to return.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    ValueTask<IReadOnlyList<WebhookConfig>> ListAwaitingVerificationAsync(DateTimeOffset updatedBefore, int maxCount, CancellationToken cancellationToken) =>
        new([]);

    /// <summary>
    /// Stores new messages, idempotently on (<see cref="DeliveryMessage.TenantId"/>, <see cref="DeliveryMessage.EventId"/>):
    /// an event stores messages only in the call that enqueues it first, one per webhook, and a later call for the same
    /// tenant and event id stores nothing, whichever webhooks it names. So publishing an event twice creates nothing new,
    /// even when webhooks were added or changed in between. Within one call, a second message for the same webhook and
    /// event is skipped. A store may forget an event once it has forgotten its messages (retention).
    /// </summary>
    /// <param name="messages">The messages.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The ids of the messages stored; skipped duplicates are left out.</returns>
    ValueTask<IReadOnlyList<string>> EnqueueAsync(IReadOnlyList<DeliveryMessage> messages, CancellationToken cancellationToken);

    /// <summary>
    /// Leases up to <paramref name="maxCount"/> unfinished messages whose <see cref="DeliveryMessage.NextAttemptAt"/> is at or
    /// before <paramref name="now"/> and that no unexpired lease holds, earliest due first.
    /// A lease that expires without completion makes its message claimable again.
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <param name="maxCount">The most messages to lease.</param>
    /// <param name="leaseDuration">How long the lease holds.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    ValueTask<IReadOnlyList<MessageLease>> ClaimDueAsync(DateTimeOffset now, int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>
    /// Sets a new expiry on a lease that is still held: later to extend it, or now to release it (the dispatcher releases
    /// the leases of claimed messages it will not attempt when it stops, so another instance claims them at once).
    /// </summary>
    /// <param name="lease">The lease.</param>
    /// <param name="expiresAt">The new expiry; the message is claimable again from then.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="false"/> when the lease is no longer held.</returns>
    ValueTask<bool> RenewLeaseAsync(MessageLease lease, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the outcome of leased messages and releases their leases: the message's new status, status reason (also
    /// when it is cleared), attempt count, next attempt time and last attempt, and the attempt made, if any. Outcomes
    /// whose lease is no longer held are ignored. A message finished while leased (the user cancelled it during its
    /// attempt) keeps its status, status reason and next attempt time; the attempt is still recorded and counted.
    /// </summary>
    /// <param name="outcomes">The outcomes.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>How many outcomes were written.</returns>
    /// <exception cref="ArgumentNullException">An outcome has no message; nothing of the batch is written.</exception>
    ValueTask<int> CompleteAsync(IReadOnlyList<MessageOutcome> outcomes, CancellationToken cancellationToken);

    /// <summary>
    /// Writes outcomes decided without an attempt (a hold, a postponement, an expiry) as <see cref="CompleteAsync"/> does,
    /// each only while its message is still as the caller read it (<see cref="MessageOutcome.Expected"/>): the same
    /// status, status reason, attempt count and next attempt time. A message changed since (the user retried or
    /// cancelled it, in this process or in another instance) is left as it is and keeps its lease, so that the caller
    /// decides again from the message as it is now. The check and the write are one step.
    /// </summary>
    /// <remarks>
    /// The default reads each message, compares, and completes the unchanged ones: two steps, so a change landing between
    /// them is written over; and it may return a changed message whose lease has lapsed (completing that changes
    /// nothing). A store that can make them one (both of the library's stores do) should.
    /// </remarks>
    /// <param name="outcomes">The outcomes, none with an attempt. One without <see cref="MessageOutcome.Expected"/> is written whatever changed.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>
    /// The messages, as they are now, of the outcomes not written because their message changed. Outcomes whose lease is
    /// no longer held are ignored, as by <see cref="CompleteAsync"/>, and not returned.
    /// </returns>
    /// <exception cref="ArgumentException">An outcome has an attempt: an attempt made is recorded whatever changed meanwhile, with <see cref="CompleteAsync"/>.</exception>
    async ValueTask<IReadOnlyList<DeliveryMessage>> CompleteIfUnchangedAsync(IReadOnlyList<MessageOutcome> outcomes, CancellationToken cancellationToken)
    {
        MessageOutcome.ThrowIfInvalidUnattempted(outcomes);
        List<MessageOutcome>? unchanged = null;
        List<DeliveryMessage>? changed = null;
        foreach (var outcome in outcomes)
        {
            if (outcome.Expected is { } expected)
            {
                if (await GetMessageAsync(outcome.Message.Id, cancellationToken).ConfigureAwait(false) is not { } current)
                {
                    continue; // Deleted with its webhook, and its lease with it.
                }

                if (!current.HasDeliveryStateOf(expected))
                {
                    (changed ??= []).Add(current);
                    continue;
                }
            }

            (unchanged ??= []).Add(outcome);
        }

        if (unchanged is not null)
        {
            await CompleteAsync(unchanged, cancellationToken).ConfigureAwait(false);
        }

        return changed ?? [];
    }

    /// <summary>Reads a message.</summary>
    /// <param name="messageId">The message id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    ValueTask<DeliveryMessage?> GetMessageAsync(string messageId, CancellationToken cancellationToken);

    /// <summary>Reads the attempts of a message, oldest first.</summary>
    /// <param name="messageId">The message id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    ValueTask<IReadOnlyList<DeliveryAttempt>> GetAttemptsAsync(string messageId, CancellationToken cancellationToken);

    /// <summary>Lists the messages of a webhook, newest first.</summary>
    /// <param name="query">The filters and page.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    ValueTask<WebhookPage<DeliveryMessage>> ListMessagesAsync(MessageQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Changes a message outside delivery (retry now, cancel). <paramref name="change"/> sees the current message and
    /// returns the new one, or <see langword="null"/> to leave it as it is. A lease on the message stays: its holder may
    /// be attempting it, and the attempt's outcome is written (see <see cref="CompleteAsync"/>). A leased message is not
    /// claimed again before its lease is released or lapses, also when the change makes it due at once.
    /// </summary>
    /// <param name="messageId">The message id.</param>
    /// <param name="change">The change; it may run more than once and must not have side effects.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The stored message after the change, or <see langword="null"/> when there is no such message.</returns>
    ValueTask<DeliveryMessage?> UpdateMessageAsync(string messageId, Func<DeliveryMessage, DeliveryMessage?> change, CancellationToken cancellationToken);

    /// <summary>Makes the held messages of a webhook (unfinished, with no next attempt time) due at <paramref name="now"/>.</summary>
    /// <param name="webhookId">The webhook id.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>How many messages were resumed.</returns>
    ValueTask<int> ResumeHeldAsync(string webhookId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the failed messages of a webhook created at or after <paramref name="since"/> due again at <paramref name="now"/>,
    /// as <see cref="MessageStatus.Retrying"/> with the status reason <see cref="MessageLifecycle.RetryRequestedReason"/>
    /// (a retry the user asked for, which no maximum age ends). Each keeps its attempt count, last attempt and attempts.
    /// </summary>
    /// <param name="webhookId">The webhook id.</param>
    /// <param name="since">The earliest creation time to recover.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>How many messages were recovered.</returns>
    ValueTask<int> RequeueFailedAsync(string webhookId, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Fails held messages (unfinished, no next attempt time) created before <paramref name="createdBefore"/>, but for
    /// retries the user asked for (<see cref="MessageLifecycle.IsRetryRequested"/>), which no maximum age ends.
    /// </summary>
    /// <param name="createdBefore">Messages created before this are too old.</param>
    /// <param name="reason">The status reason to record.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The messages failed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is <see langword="null"/>; nothing is failed.</exception>
    ValueTask<IReadOnlyList<DeliveryMessage>> FailExpiredHeldAsync(DateTimeOffset createdBefore, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes finished messages created before <paramref name="createdBefore"/>, with their attempts. A finished message
    /// still leased (cancelled during its attempt) is kept until its lease is released or lapses, so that the attempt's
    /// outcome is still written (see <see cref="CompleteAsync"/>). An event is forgotten, and its id may be published
    /// again, only once no message of it is stored (see <see cref="EnqueueAsync"/>).
    /// </summary>
    /// <param name="createdBefore">The retention horizon.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>How many messages were deleted.</returns>
    ValueTask<int> PurgeAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken);
}
