using NUnit.Framework;

namespace Webhooks.Core.Testing;

/// <content>Messages: idempotent enqueueing, reading, and changes outside delivery.</content>
public abstract partial class WebhookStoreConformanceTests
{
    /// <summary>Enqueued messages are stored with every field, and their ids returned.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task EnqueueAsync_NewMessages_ReturnsIdsAndStoresEveryField()
    {
        await AddWebhooksAsync("wh-1", "wh-2");
        var first = NewMessage("m-1", "wh-1", dueAt: 5, createdAt: 1) with { TenantId = "tenant-a", EventType = "order.paid" };
        var second = NewMessage("m-2", "wh-2", dueAt: 6, createdAt: 2) with { TenantId = "tenant-a", StatusReason = "Queued." };

        var stored = await EnqueueAsync(first, second);

        Assert.That(stored, Is.EquivalentTo(new[] { "m-1", "m-2" }));
        AssertSameMessage(await Store.GetMessageAsync("m-1", None), first);
        AssertSameMessage(await Store.GetMessageAsync("m-2", None), second);
    }

    /// <summary>Enqueueing a message for an event stored before stores nothing and returns no id.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task EnqueueAsync_SameEventTwice_StoresItOnce()
    {
        await AddWebhooksAsync("wh-1");
        var original = NewMessage("m-1", "wh-1") with { EventId = "evt-1" };
        await EnqueueAsync(original);

        var again = await EnqueueAsync(NewMessage("m-2", "wh-1", dueAt: 9) with { EventId = "evt-1" });

        Assert.That(again, Is.Empty);
        Assert.That(await Store.GetMessageAsync("m-2", None), Is.Null);
        AssertSameMessage(await Store.GetMessageAsync("m-1", None), original);
        Assert.That((await Store.ListMessagesAsync(new MessageQuery { WebhookId = "wh-1" }, None)).Total, Is.EqualTo(1));
    }

    /// <summary>When one batch holds two messages for the same webhook and event, the first is stored and the second skipped.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task EnqueueAsync_DuplicateEventInOneBatch_StoresTheFirst()
    {
        await AddWebhooksAsync("wh-1");

        var stored = await EnqueueAsync(
            NewMessage("m-1", "wh-1") with { EventId = "evt-1" },
            NewMessage("m-2", "wh-1") with { EventId = "evt-1" },
            NewMessage("m-3", "wh-1") with { EventId = "evt-2" });

        Assert.That(stored, Is.EquivalentTo(new[] { "m-1", "m-3" }));
        Assert.That(await Store.GetMessageAsync("m-2", None), Is.Null);
        Assert.That(Ids(await ClaimAsync(0)), Is.EquivalentTo(new[] { "m-1", "m-3" }));
    }

    /// <summary>One event goes to each of several webhooks in one call: it is stored once per webhook.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task EnqueueAsync_SameEventForTwoWebhooks_StoresBoth()
    {
        await AddWebhooksAsync("wh-1", "wh-2");

        var stored = await EnqueueAsync(NewMessage("m-1", "wh-1") with { EventId = "evt-1" }, NewMessage("m-2", "wh-2") with { EventId = "evt-1" });

        Assert.That(stored, Is.EquivalentTo(new[] { "m-1", "m-2" }));
    }

    /// <summary>An event enqueued again later stores nothing, also for a webhook that has no message of it (added since).</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task EnqueueAsync_SameEventLaterForAnotherWebhook_StoresNothing()
    {
        await AddWebhooksAsync("wh-1", "wh-2");
        await EnqueueAsync(NewMessage("m-1", "wh-1") with { EventId = "evt-1", TenantId = "acme" });

        var again = await EnqueueAsync(
            NewMessage("m-2", "wh-1") with { EventId = "evt-1", TenantId = "acme" },
            NewMessage("m-3", "wh-2") with { EventId = "evt-1", TenantId = "acme" });

        Assert.That(again, Is.Empty);
        Assert.That(await Store.GetMessageAsync("m-3", None), Is.Null);
        Assert.That(Ids(await ClaimAsync(0)), Is.EqualTo(new[] { "m-1" }));
    }

    /// <summary>Publishing is idempotent per event, not per call: a call mixing a published event with a new one stores the new one's message.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task EnqueueAsync_CallMixingAPublishedEventWithANewOne_StoresTheNewOne()
    {
        await AddWebhooksAsync("wh-1", "wh-2");
        await EnqueueAsync(NewMessage("m-1", "wh-1") with { EventId = "evt-1" });

        var mixed = await EnqueueAsync(
            NewMessage("m-2", "wh-2") with { EventId = "evt-1" },
            NewMessage("m-3", "wh-2") with { EventId = "evt-2" });

        Assert.That(mixed, Is.EqualTo(new[] { "m-3" }));
        Assert.That(await Store.GetMessageAsync("m-2", None), Is.Null);
        Assert.That(Ids(await ClaimAsync(0)), Is.EquivalentTo(new[] { "m-1", "m-3" }));
    }

    /// <summary>Event ids are unique per tenant: the same id in another tenant, or in the default one, is another event.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task EnqueueAsync_SameEventIdInAnotherTenant_IsAnotherEvent()
    {
        await AddWebhooksAsync("wh-1", "wh-2", "wh-3", "wh-4");
        await EnqueueAsync(NewMessage("m-1", "wh-1") with { EventId = "evt-1", TenantId = "acme" });

        var stored = await EnqueueAsync(
            NewMessage("m-2", "wh-2") with { EventId = "evt-1", TenantId = "globex" },
            NewMessage("m-3", "wh-3") with { EventId = "evt-1", TenantId = null });
        var empty = await EnqueueAsync(NewMessage("m-4", "wh-4") with { EventId = "evt-1", TenantId = string.Empty });

        Assert.That(stored, Is.EquivalentTo(new[] { "m-2", "m-3" }));
        Assert.That(empty, Is.EqualTo(new[] { "m-4" }), "the tenant named \"\" is not the default tenant");
    }

    /// <summary>
    /// A message left for a deleted webhook (a publish routed to it just before the delete stored it just after, here
    /// after another tenant's webhook has taken the id) keeps no event of the same id in that tenant from it: event ids
    /// are unique per tenant.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task EnqueueAsync_SameEventIdInAnotherTenant_ForAWebhookIdTakenAgain_IsAnotherEvent()
    {
        await AddConfigsAsync(NewConfig("wh-1", tenantId: "acme"));
        await Store.DeleteConfigAsync("wh-1", None);
        await AddConfigsAsync(NewConfig("wh-1", tenantId: "globex"));
        await EnqueueAsync(NewMessage("m-1", "wh-1") with { EventId = "evt-1", TenantId = "acme" });

        var stored = await EnqueueAsync(NewMessage("m-2", "wh-1") with { EventId = "evt-1", TenantId = "globex" });

        Assert.That(stored, Is.EqualTo(new[] { "m-2" }));
        Assert.That(Ids(await ClaimAsync(0)), Is.EquivalentTo(new[] { "m-1", "m-2" }));
    }

    /// <summary>An empty batch stores nothing.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task EnqueueAsync_EmptyBatch_ReturnsNoIds()
    {
        Assert.That(await EnqueueAsync(), Is.Empty);
        Assert.That(await ClaimAsync(0), Is.Empty);
    }

    /// <summary>Reading an unknown message returns <see langword="null"/>, and it has no attempts.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task GetMessageAsync_UnknownId_ReturnsNullWithoutAttempts()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));

        Assert.That(await Store.GetMessageAsync("m-2", None), Is.Null);
        Assert.That(await Store.GetAttemptsAsync("m-2", None), Is.Empty);
        Assert.That(await Store.GetAttemptsAsync("m-1", None), Is.Empty, "a message not attempted yet");
    }

    /// <summary>A change (here a cancellation) is stored and returned, and a finished message is no longer claimed.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task UpdateMessageAsync_Cancel_StoresAndReturnsTheChangedMessage()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1", dueAt: 10));

        var changed = await Store.UpdateMessageAsync(
            "m-1", message => message with { Status = MessageStatus.Cancelled, StatusReason = "Cancelled by the user.", NextAttemptAt = null }, None);

        var expected = NewMessage("m-1", "wh-1") with { Status = MessageStatus.Cancelled, StatusReason = "Cancelled by the user.", NextAttemptAt = null };
        AssertSameMessage(changed, expected);
        AssertSameMessage(await Store.GetMessageAsync("m-1", None), expected);
        Assert.That(await ClaimAsync(1000), Is.Empty);
    }

    /// <summary>A change that returns <see langword="null"/> leaves the message as it is, and the current message is returned.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task UpdateMessageAsync_ChangeReturnsNull_LeavesTheMessage()
    {
        await AddWebhooksAsync("wh-1");
        var original = NewMessage("m-1", "wh-1", dueAt: 10);
        await EnqueueAsync(original);

        var result = await Store.UpdateMessageAsync("m-1", _ => null, None);

        AssertSameMessage(result, original);
        AssertSameMessage(await Store.GetMessageAsync("m-1", None), original);
        Assert.That(Ids(await ClaimAsync(10)), Is.EqualTo(new[] { "m-1" }));
    }

    /// <summary>Changing an unknown message returns <see langword="null"/> and stores nothing.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task UpdateMessageAsync_UnknownId_ReturnsNull()
    {
        await AddWebhooksAsync("wh-1");

        var result = await Store.UpdateMessageAsync("m-1", message => message with { Status = MessageStatus.Cancelled }, None);

        Assert.That(result, Is.Null);
        Assert.That(await Store.GetMessageAsync("m-1", None), Is.Null);
    }

    /// <summary>Retrying a failed message now makes it due at the time set, not before.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task UpdateMessageAsync_RetryFailedNow_MakesItDue()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1") with { Status = MessageStatus.Failed, StatusReason = "Undeliverable.", NextAttemptAt = null });

        await Store.UpdateMessageAsync("m-1", message => message with { Status = MessageStatus.Retrying, StatusReason = null, NextAttemptAt = At(100) }, None);

        Assert.That(await ClaimAsync(99), Is.Empty);
        Assert.That(Ids(await ClaimAsync(100)), Is.EqualTo(new[] { "m-1" }));
    }

    /// <summary>Postponing a due message takes effect at once: it is not claimed before its new time.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task UpdateMessageAsync_Postponed_NotClaimedBeforeTheNewTime()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1", dueAt: 0), NewMessage("m-2", "wh-1", dueAt: 1));

        await Store.UpdateMessageAsync("m-1", message => message with { NextAttemptAt = At(50) }, None);

        Assert.That(Ids(await ClaimAsync(49)), Is.EqualTo(new[] { "m-2" }));
        Assert.That(Ids(await ClaimAsync(50)), Is.EqualTo(new[] { "m-1" }));
    }

    /// <summary>
    /// Postponing or holding a message stored while a dispatcher was claiming takes effect at once too (a store may
    /// lease new messages to the dispatcher as it stores them): it is not claimed before its new time, or while held.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task UpdateMessageAsync_PostponedOrHeldRightAfterTheEnqueueWhileClaiming_NotClaimedBeforeTheNewTime()
    {
        await AddWebhooksAsync("wh-1");
        Assert.That(await ClaimAsync(0), Is.Empty);
        await EnqueueAsync(NewMessage("m-1", "wh-1", dueAt: 0), NewMessage("m-2", "wh-1", dueAt: 0));

        await Store.UpdateMessageAsync("m-1", message => message with { NextAttemptAt = At(50) }, None);
        await Store.UpdateMessageAsync("m-2", message => message with { NextAttemptAt = null }, None);

        Assert.That(Ids(await ClaimAsync(49)), Is.Empty);
        var leases = await ClaimAsync(50);
        Assert.That(Ids(leases), Is.EqualTo(new[] { "m-1" }));
        Assert.That(leases[0].Message.NextAttemptAt, Is.EqualTo(At(50)), "the lease carries the message as changed");
    }

    /// <summary>
    /// Changing a leased message (a retry asked during its attempt) keeps the lease: the message is not claimed again
    /// while it is held, the holder renews it, and the holder's outcome is written with its attempt.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task UpdateMessageAsync_LeasedMessage_KeepsTheLease()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));
        var lease = await ClaimOneAsync(0);

        var changed = await Store.UpdateMessageAsync("m-1", message => message with { Status = MessageStatus.Retrying, NextAttemptAt = At(1) }, None);

        Assert.That((changed!.Status, changed.NextAttemptAt), Is.EqualTo((MessageStatus.Retrying, (DateTimeOffset?)At(1))));
        Assert.That(await ClaimAsync(2), Is.Empty, "claimed again while its lease holds");
        Assert.That(await Store.RenewLeaseAsync(lease, At(600), None), Is.True, "renewal by the holder");
        var outcome = Attempted(lease, at: 3, statusCode: 200);
        Assert.That(await CompleteAsync(outcome), Is.EqualTo(1), "completion by the holder");
        AssertSameMessage(await Store.GetMessageAsync("m-1", None), outcome.Message);
        Assert.That((await Store.GetAttemptsAsync("m-1", None)).Select(a => a.Number), Is.EqualTo(new[] { 1 }));
    }

    /// <summary>
    /// A message cancelled during its attempt stays cancelled when the attempt completes, and the attempt is recorded
    /// and counted.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task CompleteAsync_MessageCancelledWhileLeased_StaysCancelledWithTheAttempt()
    {
        await AddWebhooksAsync("wh-1");
        var (lease, cancelled) = await ClaimThenCancelAsync();

        var outcome = Attempted(lease, at: 1, statusCode: 500, retryAt: 60);
        Assert.That(await CompleteAsync(outcome), Is.EqualTo(1));

        var stored = await GetMessageAsync("m-1");
        AssertSameMessage(stored, cancelled with { AttemptCount = 1, LastAttempt = outcome.Attempt });
        Assert.That(await Store.GetAttemptsAsync("m-1", None), Is.EqualTo(new[] { outcome.Attempt }));
        Assert.That(await ClaimAsync(3600), Is.Empty, "a cancelled message is not claimed");
    }

    /// <summary>
    /// An outcome without an attempt (a hold, written over a cancel the user made after the caller read the message)
    /// keeps the finished status too, as one with an attempt does: the cancel stands and the lease is released.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task CompleteAsync_UnattemptedOutcomeForAMessageCancelledWhileLeased_StaysCancelled()
    {
        await AddWebhooksAsync("wh-1");
        var (lease, cancelled) = await ClaimThenCancelAsync();

        Assert.That(await CompleteAsync(new MessageOutcome(lease.LeaseId, MessageLifecycle.Hold(lease.Message), null)), Is.EqualTo(1));

        AssertSameMessage(await GetMessageAsync("m-1"), cancelled);
        Assert.That(await Store.GetAttemptsAsync("m-1", None), Is.Empty);
        Assert.That(await ClaimAsync(3600), Is.Empty, "a cancelled message is not claimed");
    }

    /// <summary>
    /// A lease released or lapsed after the message was changed leaves it as changed: cancelled and never claimed, or
    /// due at its new time.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task RenewLeaseAsync_ReleasedAfterAChange_MessageAsChanged()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"), NewMessage("m-2", "wh-1"));
        var leases = await ClaimAsync(0);
        await Store.UpdateMessageAsync("m-1", MessageLifecycle.Cancel, None);
        await Store.UpdateMessageAsync("m-2", message => message with { Status = MessageStatus.Retrying, NextAttemptAt = At(30) }, None);

        foreach (var lease in leases)
        {
            Assert.That(await Store.RenewLeaseAsync(lease, At(10), None), Is.True);
        }

        Assert.That(await ClaimAsync(20), Is.Empty, "nothing due before m-2's new time");
        Assert.That(Ids(await ClaimAsync(30)), Is.EqualTo(new[] { "m-2" }));
        Assert.That((await GetMessageAsync("m-1")).Status, Is.EqualTo(MessageStatus.Cancelled));
        var log = await Store.ListMessagesAsync(new MessageQuery { WebhookId = "wh-1", Status = MessageStatus.Cancelled }, None);
        Assert.That(Ids(log.Items), Is.EqualTo(new[] { "m-1" }), "the cancelled message in the log");
    }
}
