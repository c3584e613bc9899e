using NUnit.Framework;

namespace Webhooks.Core.Testing;

/// <content>Completing leased messages only while they are as read: holds and expiries do not write over a user's change.</content>
public abstract partial class WebhookStoreConformanceTests
{
    /// <summary>An outcome whose message is as expected is written and releases the lease; nothing is returned.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task CompleteIfUnchangedAsync_Unchanged_WritesTheOutcome()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));
        var lease = await ClaimOneAsync(0);

        var changed = await CompleteIfUnchangedAsync(Held(lease, expected: lease.Message));

        Assert.That(changed, Is.Empty);
        Assert.That((await GetMessageAsync("m-1")).NextAttemptAt, Is.Null);
        Assert.That(await Store.RenewLeaseAsync(lease, At(100), None), Is.False, "the lease was released");
        Assert.That(await Store.GetAttemptsAsync("m-1", None), Is.Empty);
    }

    /// <summary>
    /// The user retried the message after it was read: the hold is not written, the retry stands (reason and time), the
    /// message is returned as it is now, and the lease still holds, so the caller decides again.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task CompleteIfUnchangedAsync_RetriedSinceRead_RefusedReturningTheMessageAndKeepingTheLease()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(Retrying(NewMessage("m-1", "wh-1")));
        var lease = await ClaimOneAsync(0);
        var retried = await Store.UpdateMessageAsync("m-1", m => MessageLifecycle.RetryNow(m, At(5)), None);

        var changed = await CompleteIfUnchangedAsync(Held(lease, expected: lease.Message));

        Assert.That(Ids(changed), Is.EqualTo(new[] { "m-1" }));
        AssertSameMessage(changed[0], retried!);
        AssertSameMessage(await GetMessageAsync("m-1"), retried!);
        Assert.That(await Store.RenewLeaseAsync(lease, At(100), None), Is.True, "the lease still holds");

        // Decided again from the message as it is now: written.
        Assert.That(await CompleteIfUnchangedAsync(Held(lease, expected: changed[0])), Is.Empty);
        var held = await GetMessageAsync("m-1");
        Assert.That((held.Status, held.StatusReason, held.NextAttemptAt), Is.EqualTo((MessageStatus.Retrying, MessageLifecycle.RetryRequestedReason, (DateTimeOffset?)null)));
    }

    /// <summary>The user cancelled the message after it was read: the expiry is not written, and the message stays cancelled.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task CompleteIfUnchangedAsync_CancelledSinceRead_RefusedAndStaysCancelled()
    {
        await AddWebhooksAsync("wh-1");
        var (lease, _) = await ClaimThenCancelAsync();
        var expired = new MessageOutcome(lease.LeaseId, MessageLifecycle.Expire(lease.Message, "Undeliverable: too old."), null) { Expected = lease.Message };

        var changed = await CompleteIfUnchangedAsync(expired);

        Assert.That(changed.Select(m => m.Status), Is.EqualTo(new[] { MessageStatus.Cancelled }));
        var stored = await GetMessageAsync("m-1");
        Assert.That((stored.Status, stored.StatusReason), Is.EqualTo((MessageStatus.Cancelled, "Cancelled by the user.")));
    }

    /// <summary>In one call, the outcomes whose message is unchanged are written and only the changed ones are returned.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task CompleteIfUnchangedAsync_OneOfTwoChanged_WritesTheOtherAndReturnsTheChangedOne()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(Retrying(NewMessage("m-1", "wh-1")), Retrying(NewMessage("m-2", "wh-1", dueAt: 1)));
        var leases = await ClaimAsync(1);
        Assert.That(Ids(leases), Is.EquivalentTo(new[] { "m-1", "m-2" }));
        await Store.UpdateMessageAsync("m-2", m => MessageLifecycle.RetryNow(m, At(2)), None);

        var changed = await CompleteIfUnchangedAsync([.. leases.Select(lease => Held(lease, expected: lease.Message))]);

        Assert.That(Ids(changed), Is.EqualTo(new[] { "m-2" }));
        Assert.That((await GetMessageAsync("m-1")).NextAttemptAt, Is.Null);
        Assert.That((await GetMessageAsync("m-2")).NextAttemptAt, Is.EqualTo(At(2)));
    }

    /// <summary>
    /// Each of the four fields compared counts on its own: an expected message that differs from the stored one in only
    /// its status, its status reason (changed, cleared or set), its attempt count or its next attempt time is refused,
    /// and the message is returned and left as it is, its lease held.
    /// </summary>
    /// <param name="difference">The one field in which the expected message differs.</param>
    /// <returns>A task that completes with the test.</returns>
    [TestCase("status")]
    [TestCase("status reason changed")]
    [TestCase("status reason cleared")]
    [TestCase("status reason set")]
    [TestCase("attempt count")]
    [TestCase("next attempt time")]
    public async Task CompleteIfUnchangedAsync_ExpectedDiffersInOneField_Refused(string difference)
    {
        await AddWebhooksAsync("wh-1");
        var reason = difference == "status reason set" ? null : "HTTP 500 Internal Server Error.";
        await EnqueueAsync(Retrying(NewMessage("m-1", "wh-1")) with { StatusReason = reason });
        var lease = await ClaimOneAsync(0);
        var read = lease.Message;
        var expected = difference switch
        {
            "status" => read with { Status = MessageStatus.Created },
            "status reason changed" => read with { StatusReason = "HTTP 503 Service Unavailable." },
            "status reason cleared" => read with { StatusReason = null },
            "status reason set" => read with { StatusReason = "HTTP 500 Internal Server Error." },
            "attempt count" => read with { AttemptCount = read.AttemptCount + 1 },
            "next attempt time" => read with { NextAttemptAt = read.NextAttemptAt + TimeSpan.FromSeconds(1) },
            _ => throw new ArgumentOutOfRangeException(nameof(difference), difference, "Not a field the store compares."),
        };

        var changed = await CompleteIfUnchangedAsync(Held(lease, expected));

        Assert.That(Ids(changed), Is.EqualTo(new[] { "m-1" }));
        AssertSameMessage(changed[0], read);
        AssertSameMessage(await GetMessageAsync("m-1"), read);
        Assert.That(await Store.RenewLeaseAsync(lease, At(100), None), Is.True, "the lease still holds");
    }

    /// <summary>An outcome without an expected message is written whatever changed, as by <see cref="IWebhookStore.CompleteAsync"/>.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task CompleteIfUnchangedAsync_NothingExpected_WrittenWhateverChanged()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(Retrying(NewMessage("m-1", "wh-1")));
        var lease = await ClaimOneAsync(0);
        await Store.UpdateMessageAsync("m-1", m => MessageLifecycle.RetryNow(m, At(5)), None);

        var changed = await CompleteIfUnchangedAsync(Held(lease, expected: null));

        Assert.That(changed, Is.Empty);
        Assert.That((await GetMessageAsync("m-1")).NextAttemptAt, Is.Null);
    }

    /// <summary>An outcome whose lease lapsed and was taken by another claim changes nothing and is not returned.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task CompleteIfUnchangedAsync_LeaseLapsedAndClaimedAgain_IgnoredAndNotReturned()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));
        var stale = await ClaimOneAsync(0);
        var current = await ClaimOneAsync((int)LeaseDuration.TotalSeconds + 1);

        var changed = await CompleteIfUnchangedAsync(Held(stale, expected: stale.Message));

        Assert.That(changed, Is.Empty);
        Assert.That((await GetMessageAsync("m-1")).NextAttemptAt, Is.EqualTo(At(0)), "not held");
        Assert.That(await Store.RenewLeaseAsync(current, At(1000), None), Is.True, "the other claim's lease still holds");
    }

    /// <summary>An outcome with an attempt is refused naming it: an attempt made is recorded whatever changed.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task CompleteIfUnchangedAsync_OutcomeWithAnAttempt_ThrowsArgumentException()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));
        var lease = await ClaimOneAsync(0);
        var attempted = Attempted(lease, at: 1, statusCode: 200) with { Expected = lease.Message };

        var thrown = Assert.ThrowsAsync<ArgumentException>(async () => await CompleteIfUnchangedAsync(attempted));

        Assert.That(thrown!.Message, Does.Contain("m-1"));
        Assert.That((await GetMessageAsync("m-1")).Status, Is.EqualTo(MessageStatus.Created));
    }

    private static DeliveryMessage Retrying(DeliveryMessage message) => message with { Status = MessageStatus.Retrying, AttemptCount = 1 };

    private static MessageOutcome Held(MessageLease lease, DeliveryMessage? expected) =>
        new(lease.LeaseId, MessageLifecycle.Hold(expected ?? lease.Message), null) { Expected = expected };

    private async Task<IReadOnlyList<DeliveryMessage>> CompleteIfUnchangedAsync(params MessageOutcome[] outcomes) =>
        await Store.CompleteIfUnchangedAsync(outcomes, None);
}
