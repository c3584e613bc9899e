using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Storage;

/// <summary>
/// A custom store written before <see cref="IWebhookStore.CompleteIfUnchangedAsync"/> existed passes the suite with the
/// interface's default for it (read, compare, complete).
/// </summary>
[TestFixture]
public sealed class DefaultCompleteIfUnchangedConformanceTests : WebhookStoreConformanceTests
{
    protected override Task<IWebhookStore> CreateStoreAsync() => Task.FromResult<IWebhookStore>(new EarlierStore(new InMemoryWebhookStore()));

    /// <summary>Forwards every member but <see cref="IWebhookStore.CompleteIfUnchangedAsync"/>, which it leaves to the default.</summary>
    private sealed class EarlierStore(IWebhookStore inner) : IWebhookStore
    {
        public ValueTask AddConfigAsync(WebhookConfig config, CancellationToken cancellationToken) => inner.AddConfigAsync(config, cancellationToken);

        public ValueTask<WebhookConfig?> GetConfigAsync(string id, CancellationToken cancellationToken) => inner.GetConfigAsync(id, cancellationToken);

        public ValueTask<WebhookConfig> UpdateConfigAsync(WebhookConfig config, long expectedGeneration, CancellationToken cancellationToken) =>
            inner.UpdateConfigAsync(config, expectedGeneration, cancellationToken);

        public ValueTask<bool> DeleteConfigAsync(string id, CancellationToken cancellationToken) => inner.DeleteConfigAsync(id, cancellationToken);

        public ValueTask<bool> DeleteConfigAsync(string id, long expectedGeneration, CancellationToken cancellationToken) =>
            inner.DeleteConfigAsync(id, expectedGeneration, cancellationToken);

        public ValueTask<WebhookPage<WebhookConfig>> ListConfigsAsync(WebhookConfigQuery query, CancellationToken cancellationToken) =>
            inner.ListConfigsAsync(query, cancellationToken);

        public ValueTask<IReadOnlyList<WebhookConfig>> GetTenantConfigsAsync(string? tenantId, CancellationToken cancellationToken) =>
            inner.GetTenantConfigsAsync(tenantId, cancellationToken);

        public ValueTask<IReadOnlyList<WebhookConfig>> ListAwaitingVerificationAsync(DateTimeOffset updatedBefore, int maxCount, CancellationToken cancellationToken) =>
            inner.ListAwaitingVerificationAsync(updatedBefore, maxCount, cancellationToken);

        public ValueTask<IReadOnlyList<string>> EnqueueAsync(IReadOnlyList<DeliveryMessage> messages, CancellationToken cancellationToken) =>
            inner.EnqueueAsync(messages, cancellationToken);

        public ValueTask<IReadOnlyList<MessageLease>> ClaimDueAsync(DateTimeOffset now, int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken) =>
            inner.ClaimDueAsync(now, maxCount, leaseDuration, cancellationToken);

        public ValueTask<bool> RenewLeaseAsync(MessageLease lease, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
            inner.RenewLeaseAsync(lease, expiresAt, cancellationToken);

        public ValueTask<int> CompleteAsync(IReadOnlyList<MessageOutcome> outcomes, CancellationToken cancellationToken) => inner.CompleteAsync(outcomes, cancellationToken);

        public ValueTask<DeliveryMessage?> GetMessageAsync(string messageId, CancellationToken cancellationToken) => inner.GetMessageAsync(messageId, cancellationToken);

        public ValueTask<IReadOnlyList<DeliveryAttempt>> GetAttemptsAsync(string messageId, CancellationToken cancellationToken) =>
            inner.GetAttemptsAsync(messageId, cancellationToken);

        public ValueTask<WebhookPage<DeliveryMessage>> ListMessagesAsync(MessageQuery query, CancellationToken cancellationToken) =>
            inner.ListMessagesAsync(query, cancellationToken);

        public ValueTask<DeliveryMessage?> UpdateMessageAsync(string messageId, Func<DeliveryMessage, DeliveryMessage?> change, CancellationToken cancellationToken) =>
            inner.UpdateMessageAsync(messageId, change, cancellationToken);

        public ValueTask<int> ResumeHeldAsync(string webhookId, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.ResumeHeldAsync(webhookId, now, cancellationToken);

        public ValueTask<int> RequeueFailedAsync(string webhookId, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.RequeueFailedAsync(webhookId, since, now, cancellationToken);

        public ValueTask<IReadOnlyList<DeliveryMessage>> FailExpiredHeldAsync(DateTimeOffset createdBefore, string reason, CancellationToken cancellationToken) =>
            inner.FailExpiredHeldAsync(createdBefore, reason, cancellationToken);

        public ValueTask<int> PurgeAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken) => inner.PurgeAsync(createdBefore, cancellationToken);
    }
}
