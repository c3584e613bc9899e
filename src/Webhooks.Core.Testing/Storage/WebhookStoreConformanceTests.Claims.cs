using NUnit.Framework;

namespace Webhooks.Core.Testing;

/// <content>Claiming due messages under leases.</content>
public abstract partial class WebhookStoreConformanceTests
{
    /// <summary>Due messages are claimed earliest due first, whatever order they were enqueued in.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ClaimDueAsync_DueMessages_EarliestDueFirst()
    {
        await AddWebhooksAsync("wh-1", "wh-2");
        await EnqueueAsync(NewMessage("m-30", "wh-1", dueAt: 30), NewMessage("m-10", "wh-2", dueAt: 10));
        await EnqueueAsync(NewMessage("m-20", "wh-1", dueAt: 20), NewMessage("m-40", "wh-2", dueAt: 40));

        Assert.That(Ids(await ClaimAsync(100)), Is.EqualTo(new[] { "m-10", "m-20", "m-30", "m-40" }));
    }

    /// <summary>A claim leases at most the number asked for, the earliest due; the rest stay claimable.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ClaimDueAsync_MaxCount_LeasesTheEarliestOnly()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync([.. new[] { 4, 2, 5, 1, 3 }.Select(due => NewMessage($"m-{due}", "wh-1", dueAt: due))]);

        var first = await ClaimAsync(10, maxCount: 2);
        var rest = await ClaimAsync(10, maxCount: 10);

        Assert.That(Ids(first), Is.EqualTo(new[] { "m-1", "m-2" }));
        Assert.That(Ids(rest), Is.EqualTo(new[] { "m-3", "m-4", "m-5" }));
    }

    /// <summary>A message due exactly now is claimed; one due a second later is not, until then.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ClaimDueAsync_NotYetDue_NotClaimedUntilDue()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-now", "wh-1", dueAt: 100), NewMessage("m-later", "wh-1", dueAt: 101));

        Assert.That(await ClaimAsync(99), Is.Empty);
        Assert.That(Ids(await ClaimAsync(100)), Is.EqualTo(new[] { "m-now" }));
        Assert.That(Ids(await ClaimAsync(101)), Is.EqualTo(new[] { "m-later" }));
    }

    /// <summary>Held messages (unfinished, with no next attempt time) are never claimed.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ClaimDueAsync_HeldMessages_NotClaimed()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(
            NewMessage("created", "wh-1") with { NextAttemptAt = null },
            NewMessage("retrying", "wh-1") with { Status = MessageStatus.Retrying, AttemptCount = 1, NextAttemptAt = null },
            NewMessage("due", "wh-1"));

        Assert.That(Ids(await ClaimAsync(1_000_000)), Is.EqualTo(new[] { "due" }));
    }

    /// <summary>Finished messages are never claimed, even with a next attempt time.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ClaimDueAsync_FinishedMessages_NotClaimed()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(
            NewMessage("delivered", "wh-1") with { Status = MessageStatus.Success },
            NewMessage("failed", "wh-1") with { Status = MessageStatus.Failed },
            NewMessage("cancelled", "wh-1") with { Status = MessageStatus.Cancelled });

        Assert.That(await ClaimAsync(1000), Is.Empty);
    }

    /// <summary>A lease carries the message as stored, a lease id of its own, and expires after the lease duration.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ClaimDueAsync_DueMessages_LeasesCarryMessageIdAndExpiry()
    {
        await AddWebhooksAsync("wh-1");
        var first = NewMessage("m-1", "wh-1", dueAt: 1) with { TenantId = "tenant-a" };
        await EnqueueAsync(first, NewMessage("m-2", "wh-1", dueAt: 2));

        var leases = await ClaimAsync(10);

        Assert.That(leases, Has.Count.EqualTo(2));
        AssertSameMessage(leases[0].Message, first);
        Assert.That(leases.Select(lease => lease.ExpiresAt), Is.All.EqualTo(At(10) + LeaseDuration));
        Assert.That(leases.Select(lease => lease.LeaseId), Is.Unique.And.None.EqualTo(Guid.Empty));
    }

    /// <summary>A leased message is not claimed again while its lease holds.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ClaimDueAsync_LeasedMessage_NotClaimedBeforeTheLeaseExpires()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));
        await ClaimOneAsync(0);

        Assert.That(await ClaimAsync(1), Is.Empty);
        Assert.That(await ClaimAsync((int)LeaseDuration.TotalSeconds - 1), Is.Empty);
    }

    /// <summary>When a lease expires without completion (a crashed worker), the message is claimed again under a new lease.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ClaimDueAsync_LeaseExpired_ClaimedAgainWithANewLease()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));
        var first = await ClaimOneAsync(0);

        var second = await ClaimOneAsync((int)LeaseDuration.TotalSeconds + 1);

        Assert.That(second.Message.Id, Is.EqualTo("m-1"));
        Assert.That(second.LeaseId, Is.Not.EqualTo(first.LeaseId));
        Assert.That(second.ExpiresAt, Is.EqualTo(At((int)LeaseDuration.TotalSeconds + 1) + LeaseDuration));
    }

    /// <summary>A message whose lease expired keeps its place by due time among messages that became due later.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ClaimDueAsync_ExpiredLeaseAndLaterDue_EarliestDueFirst()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("abandoned", "wh-1", dueAt: 0));
        await ClaimOneAsync(0);
        await EnqueueAsync(NewMessage("later", "wh-1", dueAt: 100));

        var next = await ClaimOneAsync((int)LeaseDuration.TotalSeconds + 100);

        Assert.That(next.Message.Id, Is.EqualTo("abandoned"));
    }

    /// <summary>A held lease is extended: the message is not claimed at the old expiry, but is after the new one.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task RenewLeaseAsync_HeldLease_ExtendsTheExpiry()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));
        var lease = await ClaimOneAsync(0);

        var renewed = await Store.RenewLeaseAsync(lease, At(1000), None);

        Assert.That(renewed, Is.True);
        Assert.That(await ClaimAsync((int)LeaseDuration.TotalSeconds + 1), Is.Empty);
        Assert.That(await CompleteAsync(Attempted(lease, at: 400, statusCode: 200)), Is.EqualTo(1), "the renewed lease still completes");
    }

    /// <summary>A renewed lease that is left to expire makes the message claimable after the new expiry.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task RenewLeaseAsync_RenewedLeaseExpires_ClaimedAfterTheNewExpiry()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));
        var lease = await ClaimOneAsync(0);
        await Store.RenewLeaseAsync(lease, At(1000), None);

        Assert.That(await ClaimAsync(999), Is.Empty);
        Assert.That(Ids(await ClaimAsync(1001)), Is.EqualTo(new[] { "m-1" }));
    }

    /// <summary>A lease renewed to now is released: the message is claimable at once, under a new lease (the dispatcher does this at shutdown).</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task RenewLeaseAsync_ToNow_ReleasesTheMessageAtOnce()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));
        var lease = await ClaimOneAsync(0);

        Assert.That(await Store.RenewLeaseAsync(lease, At(5), None), Is.True);
        var again = await ClaimOneAsync(5);

        Assert.Multiple(() =>
        {
            Assert.That(again.Message.Id, Is.EqualTo("m-1"));
            Assert.That(again.LeaseId, Is.Not.EqualTo(lease.LeaseId));
        });
    }

    /// <summary>A lease released by completion cannot be renewed.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task RenewLeaseAsync_AfterCompletion_ReturnsFalse()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));
        var lease = await ClaimOneAsync(0);
        await CompleteAsync(Attempted(lease, at: 1, statusCode: 500, retryAt: 60));

        Assert.That(await Store.RenewLeaseAsync(lease, At(1000), None), Is.False);
        Assert.That(Ids(await ClaimAsync(60)), Is.EqualTo(new[] { "m-1" }), "the message is due at its retry time, not leased");
    }

    /// <summary>A lease that expired and was replaced by another claim cannot be renewed, and the new lease holds.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task RenewLeaseAsync_AfterReclaim_ReturnsFalse()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));
        var stale = await ClaimOneAsync(0);
        var current = await ClaimOneAsync(400);

        Assert.That(await Store.RenewLeaseAsync(stale, At(5000), None), Is.False);
        Assert.That(await ClaimAsync(401), Is.Empty, "the current lease still holds");
        Assert.That(await Store.RenewLeaseAsync(current, At(5000), None), Is.True);
    }

    /// <summary>
    /// A message finished while leased by a change that kept its next attempt time is not claimed again once the lease
    /// is released, nor once it would have lapsed: finished messages are never claimed.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ClaimDueAsync_MessageFinishedWhileLeasedKeepingItsNextAttemptTime_NotClaimedAfterTheLease()
    {
        await AddWebhooksAsync("wh-1", "wh-2");
        await EnqueueAsync(NewMessage("released", "wh-1"), NewMessage("lapsed", "wh-2"));
        var leases = await ClaimAsync(0);
        foreach (var id in new[] { "released", "lapsed" })
        {
            await Store.UpdateMessageAsync(id, m => m with { Status = MessageStatus.Cancelled, StatusReason = "Cancelled by the user." }, None);
        }

        Assert.That(await Store.RenewLeaseAsync(leases.Single(l => l.Message.Id == "released"), At(5), None), Is.True);
        Assert.That(await ClaimAsync(5), Is.Empty, "released at 5 s, but cancelled");
        Assert.That(await ClaimAsync(1000), Is.Empty, "the other lease lapsed at 300 s, but it is cancelled");
        Assert.That((await GetMessageAsync("released")).Status, Is.EqualTo(MessageStatus.Cancelled));
        Assert.That((await GetMessageAsync("lapsed")).Status, Is.EqualTo(MessageStatus.Cancelled));
    }
}
