namespace Webhooks.Core.Tests.Engine;

/// <summary>
/// A message claimed for a webhook that is not sending is held, unattempted: the hold is not written over a retry the
/// user asked for after the claim, in this process or in another instance on a shared store.
/// </summary>
[TestFixture]
public sealed class ClaimedHoldTests
{
    private const string HeldId = ClaimedMessage.Id;

    // The retry was stored (Retrying, "Retry requested by the user.", due now), then the hold wrote the message as it
    // was claimed over it: the reason, which lets the attempt the user asked for be made past the maximum age, was lost.
    [Test]
    public async Task RetriedJustAfterTheClaimThatHoldsIt_HeldKeepingTheRetryRequest()
    {
        await using var rig = await HeldMessageClaimedAsync((host, _, webhookId) => host.Log.RetryAsync(webhookId, HeldId));
        await AssertHeldAsRetryRequestedAsync(rig);
    }

    [Test]
    public async Task RetriedByAnotherInstanceJustAfterTheClaimThatHoldsIt_HeldKeepingTheRetryRequest()
    {
        await using var rig = await HeldMessageClaimedAsync(
            (host, store, _) => host.RetryAsAnotherInstanceAsync(store, HeldId));
        await AssertHeldAsRetryRequestedAsync(rig);
    }

    private static async Task AssertHeldAsRetryRequestedAsync(ClaimedMessage rig)
    {
        // The disabled webhook gets no message, the other one does.
        await rig.PublishAsync();

        var held = await rig.WaitAsync(d => d.Message.NextAttemptAt is null, "held after the retry");
        Assert.Multiple(() =>
        {
            Assert.That(rig.Claims, Is.EqualTo(1), "the retry landed while the message was leased");
            Assert.That((held.Message.Status, held.Message.StatusReason), Is.EqualTo((MessageStatus.Retrying, MessageLifecycle.RetryRequestedReason)));
            Assert.That((held.Message.AttemptCount, held.Attempts.Count), Is.EqualTo((1, 0)), "no attempt was made while the webhook is disabled");
        });
    }

    /// <summary>
    /// Starts a host with a disabled webhook (and another, enabled, that a publish reaches) whose store holds a message
    /// Retrying after one failed attempt, due now; the claim that takes it runs <paramref name="userChange"/> as it
    /// returns, before the dispatcher looks at the message.
    /// </summary>
    private static Task<ClaimedMessage> HeldMessageClaimedAsync(Func<EngineHost, IWebhookStore, string, Task> userChange) =>
        ClaimedMessage.StartAsync(TimeSpan.FromHours(1), attemptCount: 1, userChange, async (host, webhookId) =>
        {
            await host.CreateAsync("/other");
            await host.Endpoints.UpdateAsync(webhookId, new WebhookUpdate { State = WebhookState.Disabled });
        });
}
