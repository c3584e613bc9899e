namespace Webhooks.Core.Internal;

/// <summary>The delivery log over the store, with the message state machine guarding manual retry and cancel.</summary>
internal sealed class DeliveryLog(IWebhookStore store, DispatchSignal signal, TimeProvider timeProvider) : IDeliveryLog
{
    public async Task<WebhookPage<DeliveryMessage>> ListAsync(MessageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(query.WebhookId, "query.WebhookId");
        EnumText.ThrowIfUndefined(query.Status, "message status", "query.Status");
        var config = await store.GetConfigAsync(query.WebhookId, cancellationToken).ConfigureAwait(false);
        var page = await store.ListMessagesAsync(query, cancellationToken).ConfigureAwait(false);

        // A store written before positions existed lists from the newest again, with messages newer than the position or
        // its own: a client paging on would loop forever. Ties are the store's to order: PostgreSQL's COLLATE "C" compares
        // code points, which differ from ordinal past U+FFFF, and its page is right for its order.
        if (query.After is { } after && page.Items.Any(message => IsAtOrBefore(message, after)))
        {
            throw new InvalidOperationException(
                $"The store {store.GetType().Name} listed a message that is not after MessageQuery.After: it does not implement positions in the log, which WebhookStoreConformanceTests check.");
        }

        return WithoutOtherTenants(page, config);
    }

    public async Task<DeliveryMessageDetail?> GetAsync(string webhookId, string messageId, CancellationToken cancellationToken = default)
    {
        var message = await store.GetMessageAsync(messageId, cancellationToken).ConfigureAwait(false);
        if (message is null || !await IsOfWebhookAsync(message, webhookId, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        // Two reads: attempts recorded after the message was read are left out, so that its count, its last attempt
        // and the list agree (attempts are only ever added, oldest first).
        var attempts = await store.GetAttemptsAsync(messageId, cancellationToken).ConfigureAwait(false);
        if (attempts.Count > message.AttemptCount)
        {
            attempts = attempts.Take(message.AttemptCount).ToArray();
        }

        return new DeliveryMessageDetail(message, attempts);
    }

    public Task<DeliveryMessage> RetryAsync(string webhookId, string messageId, CancellationToken cancellationToken = default) =>
        ChangeAsync(webhookId, messageId, m => MessageLifecycle.RetryNow(m, timeProvider.GetUtcNow()), wake: true, cancellationToken);

    public Task<DeliveryMessage> CancelAsync(string webhookId, string messageId, CancellationToken cancellationToken = default) =>
        ChangeAsync(webhookId, messageId, MessageLifecycle.Cancel, wake: false, cancellationToken);

    public async Task<int> RecoverAsync(string webhookId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        _ = await store.GetConfigAsync(webhookId, cancellationToken).ConfigureAwait(false)
            ?? throw new WebhookNotFoundException($"Webhook '{webhookId}' does not exist.");
        var recovered = await store.RequeueFailedAsync(webhookId, since, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        signal.NoteChange();
        if (recovered > 0)
        {
            signal.Notify();
        }

        return recovered;
    }

    private async Task<DeliveryMessage> ChangeAsync(
        string webhookId, string messageId, Func<DeliveryMessage, DeliveryMessage> change, bool wake, CancellationToken cancellationToken)
    {
        var current = await store.GetMessageAsync(messageId, cancellationToken).ConfigureAwait(false);
        if (current is null || !await IsOfWebhookAsync(current, webhookId, cancellationToken).ConfigureAwait(false))
        {
            throw new WebhookNotFoundException($"Webhook '{webhookId}' has no message '{messageId}'.");
        }

        // Checked here so an illegal transition is reported before the store is touched; checked again inside the
        // store's update against the message as it is then.
        _ = change(current);
        var updated = await store.UpdateMessageAsync(messageId, change, cancellationToken).ConfigureAwait(false)
            ?? throw new WebhookNotFoundException($"Webhook '{webhookId}' has no message '{messageId}'.");
        signal.NoteChange();
        if (wake)
        {
            signal.Notify();
        }

        return updated;
    }

    /// <summary>
    /// Whether <paramref name="message"/> is in the log of the webhook <paramref name="webhookId"/>: routed to it, and
    /// of its tenant while it exists. Webhook ids are global and may be chosen, so a message published to a webhook of
    /// one tenant as it was deleted may be stored after another tenant created a webhook with its id. The dispatcher
    /// gives such a message up unattempted; its owner's data is not shown in the other tenant's log meanwhile.
    /// </summary>
    private async ValueTask<bool> IsOfWebhookAsync(DeliveryMessage message, string webhookId, CancellationToken cancellationToken) =>
        string.Equals(message.WebhookId, webhookId, StringComparison.Ordinal)
        && IsOfTenant(message, await store.GetConfigAsync(webhookId, cancellationToken).ConfigureAwait(false));

    private static bool IsOfTenant(DeliveryMessage message, WebhookConfig? config) =>
        config is null || string.Equals(message.TenantId, config.TenantId, StringComparison.Ordinal);

    /// <summary>
    /// The page without the messages of another tenant than the webhook's (see <see cref="IsOfWebhookAsync"/>). They
    /// come only from that race, so the total leaves out those on this page only.
    /// </summary>
    private static WebhookPage<DeliveryMessage> WithoutOtherTenants(WebhookPage<DeliveryMessage> page, WebhookConfig? config)
    {
        if (page.Items.All(message => IsOfTenant(message, config)))
        {
            return page;
        }

        var items = page.Items.Where(message => IsOfTenant(message, config)).ToArray();
        return page with { Items = items, Total = page.Total - (page.Items.Count - items.Length) };
    }

    /// <summary>Whether <paramref name="message"/> is newer than <paramref name="position"/> in the log, or its message.</summary>
    private static bool IsAtOrBefore(DeliveryMessage message, MessageLogPosition position) =>
        message.CreatedAt > position.CreatedAt
        || (message.CreatedAt == position.CreatedAt && string.Equals(message.Id, position.MessageId, StringComparison.Ordinal));
}
