using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Engine;

/// <summary>
/// A message claimed past its maximum age is given up unattempted, unless the user changed it after the claim: the
/// expiry is not written over a retry or a cancel made while the message was leased.
/// </summary>
[TestFixture]
public sealed class ClaimedExpiryTests
{
    private const string OldId = "msg_old";

    // The user retried a message past its maximum age just after the dispatcher claimed it for expiry: the expiry was
    // written over the retry, which had been accepted (Retrying, due now), so the message failed unattempted.
    [Test]
    public async Task RetriedJustAfterTheClaimThatExpiresIt_IsAttemptedNotExpired()
    {
        await using var old = await OldMessageClaimedAsync((host, webhookId) => host.Log.RetryAsync(webhookId, OldId));
        await old.PublishAsync();

        var done = await old.Host.WaitForMessageAsync(old.WebhookId, OldId, d => d.Message.IsFinished, "finished");
        Assert.Multiple(() =>
        {
            Assert.That(old.Changed, Is.EqualTo(1), "the retry landed while the message was leased");
            Assert.That((done.Message.Status, done.Attempts.Count), Is.EqualTo((MessageStatus.Success, 1)), done.Message.StatusReason);
        });
    }

    // The user cancelled a message past its maximum age just after the dispatcher claimed it for expiry: the store kept
    // it cancelled, yet the host was told it failed (MessageFailed, and webhooks.messages.failed counted it).
    [Test]
    public async Task CancelledJustAfterTheClaimThatExpiresIt_StaysCancelled_NoMessageFailedNotificationNorCount()
    {
        await using var old = await OldMessageClaimedAsync((host, webhookId) => host.Log.CancelAsync(webhookId, OldId));
        using var failed = new MetricCollector<long>(old.Host.Host.Services.GetRequiredService<IMeterFactory>(), "Webhooks.Core", "webhooks.messages.failed");
        await old.PublishAsync();

        var done = await old.Host.WaitForMessageAsync(old.WebhookId, OldId, d => d.Message.IsFinished, "finished");
        await old.Host.WaitForMessageAsync(old.WebhookId, old.WakeId!, d => d.Message.IsFinished, "the message published with it finished");
        await old.Host.HealthSettledAsync();
        await old.Host.NotificationsSettledAsync();
        Assert.Multiple(() =>
        {
            Assert.That(old.Changed, Is.EqualTo(1), "the cancel landed while the message was leased");
            Assert.That((done.Message.Status, done.Attempts.Count), Is.EqualTo((MessageStatus.Cancelled, 0)));
            Assert.That(old.Host.Notifications.Kinds(old.WebhookId), Has.No.Member(WebhookNotificationKind.MessageFailed));
            Assert.That(failed.GetMeasurementSnapshot().Sum(m => m.Value), Is.Zero);
        });
    }

    /// <summary>
    /// Starts a host whose store holds a Retrying message created 11 days ago and due now; the claim that takes it runs
    /// <paramref name="userChange"/> as it returns, before the dispatcher looks at the message. The test wakes the claim
    /// with <see cref="OldMessage.PublishAsync"/>.
    /// </summary>
    private static async Task<OldMessage> OldMessageClaimedAsync(Func<EngineHost, string, Task> userChange)
    {
        var old = new OldMessage();
        var store = InterceptedStore.Create(new InMemoryWebhookStore(), (_, _) => { }, (method, _, result) =>
        {
            if (method == nameof(IWebhookStore.ClaimDueAsync)
                && ((ValueTask<IReadOnlyList<MessageLease>>)result!).Result.Any(l => l.Message.Id == OldId)
                && Interlocked.Increment(ref old.Changed) == 1)
            {
                // The in-memory store completes at once: the change is stored before the claim returns.
                userChange(old.Host, old.WebhookId).GetAwaiter().GetResult();
            }
        });
        old.Host = await EngineHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton(store)));
        old.Host.Receiver.Respond(_ => ReceiverAnswer.Ok);
        old.WebhookId = (await old.Host.CreateAsync()).Webhook.Id;
        await store.EnqueueAsync(
            [
                new DeliveryMessage
                {
                    Id = OldId, WebhookId = old.WebhookId, EventId = "evt_old", EventType = "order.created", Payload = "{}"u8.ToArray(),
                    Status = MessageStatus.Retrying, AttemptCount = 0, CreatedAt = EngineHost.Start - TimeSpan.FromDays(11), NextAttemptAt = EngineHost.Start,
                },
            ],
            CancellationToken.None);
        return old;
    }

    private sealed class OldMessage : IAsyncDisposable
    {
        public int Changed;

        public EngineHost Host { get; set; } = null!;

        public string WebhookId { get; set; } = null!;

        public string? WakeId { get; private set; }

        /// <summary>Publishes to the webhook, which wakes the dispatcher: it claims the old message with the new one.</summary>
        public async Task PublishAsync() => WakeId = (await Host.PublishAsync("evt_wake")).MessageIds[0];

        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }
}
