using NUnit.Framework;

namespace Webhooks.Core.Testing;

/// <content>
/// Rules a store can break while every other test passes: what a lease carries on a second claim, a stale outcome first
/// in a batch, keys compared ordinally (tenants, event ids, event types), listings after an update, and what
/// resuming, requeueing and purging leave alone.
/// </content>
public abstract partial class WebhookStoreConformanceTests
{
    /// <summary>A lease taken on a later claim carries the message as stored, with its status reason and last attempt (the dispatcher tells a user's retry from it).</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ClaimDueAsync_ClaimedAgain_LeaseCarriesTheStoredMessageWithReasonAndLastAttempt()
    {
        await AddConfigsAsync(NewConfig("wh-1"));
        await Store.EnqueueAsync([NewMessage("m-1", "wh-1")], None);
        var first = Attempted((await Store.ClaimDueAsync(At(0), 10, LeaseDuration, None)).Single(), 1, 500, retryAt: 60);
        await Store.CompleteAsync([first with { Message = first.Message with { StatusReason = "HTTP 500" } }], None);

        var lease = (await Store.ClaimDueAsync(At(60), 10, LeaseDuration, None)).Single();
        AssertSameMessage(lease.Message, (await Store.GetMessageAsync("m-1", None))!);

        // The user's retry now is recognised from the lease (the dispatcher attempts it past the maximum age).
        await Store.CompleteAsync([Attempted(lease, 61, 500) with { Message = lease.Message with { Status = MessageStatus.Failed, NextAttemptAt = null, AttemptCount = 2 } }], None);
        await Store.UpdateMessageAsync("m-1", m => MessageLifecycle.RetryNow(m, At(100)), None);
        var retry = (await Store.ClaimDueAsync(At(100), 10, LeaseDuration, None)).Single();
        AssertSameMessage(retry.Message, (await Store.GetMessageAsync("m-1", None))!);
        Assert.That(MessageLifecycle.IsRetryRequested(retry.Message), Is.True);
    }

    /// <summary>An outcome whose lease is gone, first in a batch, does not stop the outcomes after it from being written.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task CompleteAsync_StaleOutcomeFirstInBatch_LaterOutcomesStillWritten()
    {
        await AddConfigsAsync(NewConfig("wh-1"));
        await Store.EnqueueAsync([NewMessage("m-1", "wh-1"), NewMessage("m-2", "wh-1", dueAt: 1), NewMessage("m-3", "wh-1", dueAt: 2)], None);
        var leases = await Store.ClaimDueAsync(At(2), 10, LeaseDuration, None);
        Assert.That(await Store.RenewLeaseAsync(leases[0], At(2), None), Is.True);
        Assert.That(await Store.ClaimDueAsync(At(2), 1, LeaseDuration, None), Has.Count.EqualTo(1));

        var written = await Store.CompleteAsync([Attempted(leases[0], 3, 200), Attempted(leases[1], 3, 200), Attempted(leases[2], 3, 200)], None);

        Assert.That(written, Is.EqualTo(2));
        Assert.That((await Store.GetMessageAsync("m-2", None))!.Status, Is.EqualTo(MessageStatus.Success));
        Assert.That((await Store.GetMessageAsync("m-3", None))!.Status, Is.EqualTo(MessageStatus.Success));
    }

    /// <summary>The lease of a message deleted with its webhook is no longer held.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task RenewLeaseAsync_MessageDeletedWithItsWebhook_ReturnsFalse()
    {
        await AddConfigsAsync(NewConfig("wh-1"));
        await Store.EnqueueAsync([NewMessage("m-1", "wh-1")], None);
        var lease = (await Store.ClaimDueAsync(At(0), 10, LeaseDuration, None)).Single();
        await Store.DeleteConfigAsync("wh-1", None);

        Assert.That(await Store.RenewLeaseAsync(lease, At(600), None), Is.False);
    }

    /// <summary>An event with a message left is still published: deleting one of its webhooks does not forget it.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task EnqueueAsync_OneOfTheEventsMessagesDeleted_EventStillKnown()
    {
        await AddConfigsAsync(NewConfig("wh-1"), NewConfig("wh-2"), NewConfig("wh-3"));
        await Store.EnqueueAsync([NewMessage("m-1", "wh-1") with { EventId = "evt-1" }, NewMessage("m-2", "wh-2") with { EventId = "evt-1" }], None);
        await Store.DeleteConfigAsync("wh-1", None);

        var again = await Store.EnqueueAsync([NewMessage("m-3", "wh-2") with { EventId = "evt-1" }, NewMessage("m-4", "wh-3") with { EventId = "evt-1" }], None);

        Assert.That(again, Is.Empty, "wh-2 still has evt-1's message m-2: the event is not forgotten");
        Assert.That((await Store.ListMessagesAsync(new MessageQuery { WebhookId = "wh-2" }, None)).Total, Is.EqualTo(1));
    }

    /// <summary>Event ids are compared ordinally: ids that differ only in case are different events.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task EnqueueAsync_EventIdsDifferingInCase_AreDifferentEvents()
    {
        await AddConfigsAsync(NewConfig("wh-1"));
        await Store.EnqueueAsync([NewMessage("m-1", "wh-1") with { EventId = "evt_aB3" }], None);

        Assert.That(await Store.EnqueueAsync([NewMessage("m-2", "wh-1") with { EventId = "evt_Ab3" }], None), Is.EqualTo(new[] { "m-2" }));
    }

    /// <summary>Listings filter and return configs as last stored.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListConfigsAsync_AfterUpdate_ListsTheConfigAsUpdated()
    {
        await AddConfigsAsync(NewConfig("wh-1"));
        var updated = await Store.UpdateConfigAsync(NewConfig("wh-1") with { Name = "Renamed", State = WebhookState.Disabled, Status = WebhookStatus.Disabled }, 1, None);

        var byDefault = await Store.ListConfigsAsync(new WebhookConfigQuery(), None);
        var included = await Store.ListConfigsAsync(new WebhookConfigQuery { IncludeUserDisabled = true }, None);

        Assert.That((byDefault.Items.Count, byDefault.Total), Is.EqualTo((0, 0)), "user-disabled by the update");
        AssertSameConfig(included.Items.Single(), updated);
    }

    /// <summary>Tenant ids are compared ordinally: a tenant never sees the configs of one whose id differs only in case.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task TenantIds_ComparedOrdinally_InRoutingAndListing()
    {
        await AddConfigsAsync(NewConfig("wh-1", "acme"), NewConfig("wh-2", "ACME"));

        Assert.That((await Store.GetTenantConfigsAsync("acme", None)).Select(c => c.Id), Is.EqualTo(new[] { "wh-1" }));
        var page = await Store.ListConfigsAsync(new WebhookConfigQuery { TenantId = "acme" }, None);
        Assert.That((page.Items.Select(c => c.Id), page.Total), Is.EqualTo((new[] { "wh-1" }, 1)));
    }

    /// <summary>The message listing's event type is matched exactly, case included.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListMessagesAsync_EventType_MatchedExactly()
    {
        await AddConfigsAsync(NewConfig("wh-1"));
        await Store.EnqueueAsync([NewMessage("m-1", "wh-1", createdAt: 1), NewMessage("m-2", "wh-1", createdAt: 2) with { EventType = "Order.Created" }], None);

        var page = await Store.ListMessagesAsync(new MessageQuery { WebhookId = "wh-1", EventType = "order.created" }, None);

        Assert.That((page.Items.Select(m => m.Id), page.Total), Is.EqualTo((new[] { "m-1" }, 1)));
    }

    /// <summary>Resuming makes only unfinished held messages due, and changes nothing else of them.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ResumeHeldAsync_OnlyUnfinishedHeld_AndOnlyTheirNextAttemptTime()
    {
        await AddConfigsAsync(NewConfig("wh-1"));
        var attempt = new DeliveryAttempt { Number = 2, Timestamp = At(-10), Url = "https://receiver.example/hooks/wh-1", StatusCode = 503 };
        var held = NewMessage("held", "wh-1") with { Status = MessageStatus.Retrying, AttemptCount = 2, LastAttempt = attempt, StatusReason = "Held.", NextAttemptAt = null };
        var cancelled = NewMessage("cancelled", "wh-1") with { Status = MessageStatus.Cancelled, NextAttemptAt = null };
        await Store.EnqueueAsync([held, cancelled], None);

        Assert.That(await Store.ResumeHeldAsync("wh-1", At(100), None), Is.EqualTo(1));
        AssertSameMessage((await Store.GetMessageAsync("held", None))!, held with { NextAttemptAt = At(100) });
        AssertSameMessage((await Store.GetMessageAsync("cancelled", None))!, cancelled);
    }

    /// <summary>Requeueing failed messages keeps their last attempt, attempt count and log.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task RequeueFailedAsync_KeepsLastAttemptAndLog()
    {
        await AddConfigsAsync(NewConfig("wh-1"));
        await Store.EnqueueAsync([NewMessage("m-1", "wh-1", createdAt: 5)], None);
        var outcome = Attempted((await Store.ClaimDueAsync(At(0), 10, LeaseDuration, None)).Single(), 1, 500);
        await Store.CompleteAsync([outcome], None);

        Assert.That(await Store.RequeueFailedAsync("wh-1", At(0), At(50), None), Is.EqualTo(1));

        var stored = (await Store.GetMessageAsync("m-1", None))!;
        Assert.That((stored.LastAttempt, stored.AttemptCount), Is.EqualTo((outcome.Attempt, 1)));
        Assert.That(await Store.GetAttemptsAsync("m-1", None), Is.EqualTo(new[] { outcome.Attempt }));
    }

    /// <summary>Purging deletes only finished messages: old ones still retrying, due or held, stay.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task PurgeAsync_OldRetryingMessages_Kept()
    {
        await AddConfigsAsync(NewConfig("wh-1"));
        await Store.EnqueueAsync(
        [
            NewMessage("retrying", "wh-1", dueAt: 5000, createdAt: 10) with { Status = MessageStatus.Retrying, AttemptCount = 1 },
            NewMessage("held-retrying", "wh-1", createdAt: 10) with { Status = MessageStatus.Retrying, AttemptCount = 1, NextAttemptAt = null },
        ], None);

        Assert.That(await Store.PurgeAsync(At(100), None), Is.Zero);
        Assert.That((await Store.ListMessagesAsync(new MessageQuery { WebhookId = "wh-1" }, None)).Total, Is.EqualTo(2));
    }
}
