using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Webhooks.Core.Tests.Engine;

/// <summary>
/// A message claimed past its maximum age is given up unattempted, unless the user changed it after the claim: the
/// expiry is not written over a retry or a cancel made while the message was leased.
/// </summary>
[TestFixture]
public sealed class ClaimedExpiryTests
{
    private const string OldId = ClaimedMessage.Id;

    // The user retried a message past its maximum age just after the dispatcher claimed it for expiry: the expiry was
    // written over the retry, which had been accepted (Retrying, due now), so the message failed unattempted.
    [Test]
    public async Task RetriedJustAfterTheClaimThatExpiresIt_IsAttemptedNotExpired()
    {
        await using var old = await OldMessageClaimedAsync((host, _, webhookId) => host.Log.RetryAsync(webhookId, OldId));
        await AssertRetriedAndDeliveredAsync(old);
    }

    // The same retry made by another instance on a shared store (this process's dispatcher is not told of it): the
    // expiry was written over it, as this process had changed nothing since the claim.
    [Test]
    public async Task RetriedByAnotherInstanceJustAfterTheClaimThatExpiresIt_IsAttemptedNotExpired()
    {
        await using var old = await OldMessageClaimedAsync(
            (host, store, _) => host.RetryAsAnotherInstanceAsync(store, OldId));
        await AssertRetriedAndDeliveredAsync(old);
    }

    // The user cancelled a message past its maximum age just after the dispatcher claimed it for expiry: the store kept
    // it cancelled, yet the host was told it failed (MessageFailed, and webhooks.messages.failed counted it).
    [Test]
    public async Task CancelledJustAfterTheClaimThatExpiresIt_StaysCancelled_NoMessageFailedNotificationNorCount()
    {
        await using var old = await OldMessageClaimedAsync((host, _, webhookId) => host.Log.CancelAsync(webhookId, OldId));
        await AssertCancelledNotFailedAsync(old);
    }

    // The same cancel made by another instance on a shared store: the host was told the message failed.
    [Test]
    public async Task CancelledByAnotherInstanceJustAfterTheClaimThatExpiresIt_StaysCancelled_NoMessageFailedNotificationNorCount()
    {
        await using var old = await OldMessageClaimedAsync((_, store, _) => store.UpdateMessageAsync(OldId, MessageLifecycle.Cancel, CancellationToken.None).AsTask());
        await AssertCancelledNotFailedAsync(old);
    }

    private static async Task AssertRetriedAndDeliveredAsync(ClaimedMessage old)
    {
        await old.PublishAsync();

        var done = await old.WaitAsync(d => d.Message.IsFinished, "finished");
        Assert.Multiple(() =>
        {
            Assert.That(old.Claims, Is.EqualTo(1), "the retry landed while the message was leased");
            Assert.That((done.Message.Status, done.Attempts.Count), Is.EqualTo((MessageStatus.Success, 1)), done.Message.StatusReason);
        });
    }

    private static async Task AssertCancelledNotFailedAsync(ClaimedMessage old)
    {
        using var failed = new MetricCollector<long>(old.Host.Host.Services.GetRequiredService<IMeterFactory>(), "Webhooks.Core", "webhooks.messages.failed");
        await old.PublishAsync();

        var done = await old.WaitAsync(d => d.Message.IsFinished, "finished");
        await old.Host.WaitForMessageAsync(old.WebhookId, old.WakeId!, d => d.Message.IsFinished, "the message published with it finished");
        await old.Host.HealthSettledAsync();
        await old.Host.NotificationsSettledAsync();
        Assert.Multiple(() =>
        {
            Assert.That(old.Claims, Is.EqualTo(1), "the cancel landed while the message was leased");
            Assert.That((done.Message.Status, done.Attempts.Count), Is.EqualTo((MessageStatus.Cancelled, 0)));
            Assert.That(old.Host.Notifications.Kinds(old.WebhookId), Has.No.Member(WebhookNotificationKind.MessageFailed));
            Assert.That(failed.GetMeasurementSnapshot().Sum(m => m.Value), Is.Zero);
        });
    }

    /// <summary>
    /// Starts a host whose store holds a Retrying message created 11 days ago and due now; the claim that takes it runs
    /// <paramref name="userChange"/> as it returns, before the dispatcher looks at the message.
    /// </summary>
    private static Task<ClaimedMessage> OldMessageClaimedAsync(Func<EngineHost, IWebhookStore, string, Task> userChange) =>
        ClaimedMessage.StartAsync(TimeSpan.FromDays(11), attemptCount: 0, userChange);
}
