using NUnit.Framework;

namespace Webhooks.Core.Testing;

/// <content>Bulk operations: resuming held messages, recovering failed ones, expiring held ones and purging.</content>
public abstract partial class WebhookStoreConformanceTests
{
    /// <summary>Resuming a webhook makes its held messages due now, and touches no other message.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ResumeHeldAsync_HeldMessages_BecomeDueNow()
    {
        await AddWebhooksAsync("wh-1", "wh-2");
        await EnqueueAsync(
            NewMessage("held-1", "wh-1") with { NextAttemptAt = null },
            NewMessage("held-2", "wh-1") with { Status = MessageStatus.Retrying, AttemptCount = 2, NextAttemptAt = null },
            NewMessage("scheduled", "wh-1", dueAt: 200),
            NewMessage("done", "wh-1") with { Status = MessageStatus.Success, NextAttemptAt = null },
            NewMessage("other", "wh-2") with { NextAttemptAt = null });

        var resumed = await Store.ResumeHeldAsync("wh-1", At(100), None);

        Assert.That(resumed, Is.EqualTo(2));
        Assert.That((await GetMessageAsync("held-2")).NextAttemptAt, Is.EqualTo(At(100)));
        Assert.That((await GetMessageAsync("held-2")).Status, Is.EqualTo(MessageStatus.Retrying));
        Assert.That((await GetMessageAsync("scheduled")).NextAttemptAt, Is.EqualTo(At(200)));
        Assert.That((await GetMessageAsync("other")).NextAttemptAt, Is.Null);
        Assert.That(Ids(await ClaimAsync(100)), Is.EquivalentTo(new[] { "held-1", "held-2" }));
        Assert.That(Ids(await ClaimAsync(200)), Is.EqualTo(new[] { "scheduled" }), "the resumed messages are leased, the finished one is not due");
    }

    /// <summary>Resuming a webhook without held messages resumes nothing.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ResumeHeldAsync_NothingHeld_ReturnsZero()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1", dueAt: 500));

        Assert.That(await Store.ResumeHeldAsync("wh-1", At(100), None), Is.Zero);
        Assert.That(await Store.ResumeHeldAsync("wh-unknown", At(100), None), Is.Zero);
        Assert.That((await GetMessageAsync("m-1")).NextAttemptAt, Is.EqualTo(At(500)));
    }

    /// <summary>
    /// Recovering a webhook makes its failed messages created at or after the given time due now as Retrying;
    /// older, unfailed and other webhooks' messages stay as they are.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task RequeueFailedAsync_FailedSince_BecomeRetryingAndDue()
    {
        await AddWebhooksAsync("wh-1", "wh-2");
        var failed = NewMessage("x", "wh-1") with { Status = MessageStatus.Failed, StatusReason = "Undeliverable.", AttemptCount = 5, NextAttemptAt = null };
        await EnqueueAsync(
            failed with { Id = "too-old", EventId = "e-1", CreatedAt = At(10) },
            failed with { Id = "at-since", EventId = "e-2", CreatedAt = At(50) },
            failed with { Id = "later", EventId = "e-3", CreatedAt = At(60) },
            failed with { Id = "delivered", EventId = "e-4", CreatedAt = At(70), Status = MessageStatus.Success },
            failed with { Id = "cancelled", EventId = "e-5", CreatedAt = At(80), Status = MessageStatus.Cancelled },
            failed with { Id = "other", EventId = "e-6", CreatedAt = At(60), WebhookId = "wh-2" });

        var requeued = await Store.RequeueFailedAsync("wh-1", since: At(50), now: At(1000), None);

        Assert.That(requeued, Is.EqualTo(2));
        var recovered = await GetMessageAsync("at-since");
        Assert.That((recovered.Status, recovered.NextAttemptAt, recovered.AttemptCount), Is.EqualTo((MessageStatus.Retrying, (DateTimeOffset?)At(1000), 5)));
        Assert.That(MessageLifecycle.IsRetryRequested(recovered), Is.True, "a recovery is a retry the user asked for: " + recovered.StatusReason);
        Assert.That((await GetMessageAsync("too-old")).Status, Is.EqualTo(MessageStatus.Failed));
        Assert.That((await GetMessageAsync("delivered")).Status, Is.EqualTo(MessageStatus.Success));
        Assert.That((await GetMessageAsync("cancelled")).Status, Is.EqualTo(MessageStatus.Cancelled));
        Assert.That((await GetMessageAsync("other")).Status, Is.EqualTo(MessageStatus.Failed));
        Assert.That(await ClaimAsync(999), Is.Empty);
        Assert.That(Ids(await ClaimAsync(1000)), Is.EquivalentTo(new[] { "at-since", "later" }));
    }

    /// <summary>
    /// Held messages of every webhook created before the bound fail with the reason given and are returned; newer held
    /// messages, retries the user asked for and scheduled or finished ones stay as they are.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task FailExpiredHeldAsync_OldHeldMessages_FailWithTheReason()
    {
        await AddWebhooksAsync("wh-1", "wh-2");
        await EnqueueAsync(
            NewMessage("old-held", "wh-1", createdAt: 10) with { NextAttemptAt = null },
            NewMessage("old-held-retrying", "wh-2", createdAt: 20) with { Status = MessageStatus.Retrying, NextAttemptAt = null },
            NewMessage("old-held-asked", "wh-2", createdAt: 20) with
            {
                Status = MessageStatus.Retrying, StatusReason = MessageLifecycle.RetryRequestedReason, NextAttemptAt = null,
            },
            NewMessage("held-at-bound", "wh-1", createdAt: 50) with { NextAttemptAt = null },
            NewMessage("old-scheduled", "wh-1", dueAt: 5000, createdAt: 10),
            NewMessage("old-done", "wh-1", createdAt: 10) with { Status = MessageStatus.Success, NextAttemptAt = null });

        var failed = await Store.FailExpiredHeldAsync(At(50), "Message expired after 10 days.", None);

        Assert.That(Ids(failed), Is.EquivalentTo(new[] { "old-held", "old-held-retrying" }));
        Assert.That(failed.Select(message => (message.Status, message.StatusReason)), Is.All.EqualTo((MessageStatus.Failed, "Message expired after 10 days.")));
        var stored = await GetMessageAsync("old-held-retrying");
        Assert.That((stored.Status, stored.StatusReason, stored.NextAttemptAt), Is.EqualTo((MessageStatus.Failed, "Message expired after 10 days.", (DateTimeOffset?)null)));
        Assert.That((await GetMessageAsync("held-at-bound")).Status, Is.EqualTo(MessageStatus.Created));
        Assert.That((await GetMessageAsync("old-held-asked")).Status, Is.EqualTo(MessageStatus.Retrying), "a retry the user asked for waits for its webhook whatever its age");
        Assert.That((await GetMessageAsync("old-scheduled")).Status, Is.EqualTo(MessageStatus.Created));
        Assert.That((await GetMessageAsync("old-done")).StatusReason, Is.Null);
        Assert.That(await Store.ResumeHeldAsync("wh-1", At(100), None), Is.EqualTo(1), "only the newer held message is left to resume");
    }

    /// <summary>Failing held messages without a reason is refused with <see cref="ArgumentNullException"/>, and nothing is failed.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task FailExpiredHeldAsync_NullReason_ThrowsArgumentNullAndFailsNothing()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("old-held", "wh-1", createdAt: 10) with { NextAttemptAt = null });

        Assert.That(async () => await Store.FailExpiredHeldAsync(At(50), null!, None), Throws.ArgumentNullException);
        Assert.That((await GetMessageAsync("old-held")).Status, Is.EqualTo(MessageStatus.Created));
    }

    /// <summary>Purging deletes finished messages created before the bound, with their attempts, and keeps unfinished and newer ones.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task PurgeAsync_OldFinishedMessages_DeletedWithTheirAttempts()
    {
        await AddWebhooksAsync("wh-1", "wh-2");
        await EnqueueAsync(NewMessage("old-delivered", "wh-1", createdAt: 10));
        await CompleteAsync(Attempted(await ClaimOneAsync(0), at: 1, statusCode: 200));
        await EnqueueAsync(
            NewMessage("old-failed", "wh-2", createdAt: 20) with { Status = MessageStatus.Failed, NextAttemptAt = null },
            NewMessage("old-cancelled", "wh-1", createdAt: 30) with { Status = MessageStatus.Cancelled, NextAttemptAt = null },
            NewMessage("old-scheduled", "wh-1", dueAt: 5000, createdAt: 10),
            NewMessage("old-held", "wh-1", createdAt: 10) with { NextAttemptAt = null },
            NewMessage("delivered-at-bound", "wh-1", createdAt: 100) with { Status = MessageStatus.Success, NextAttemptAt = null },
            NewMessage("new-delivered", "wh-1", createdAt: 200) with { Status = MessageStatus.Success, NextAttemptAt = null });

        var purged = await Store.PurgeAsync(At(100), None);

        Assert.That(purged, Is.EqualTo(3));
        foreach (var id in new[] { "old-delivered", "old-failed", "old-cancelled" })
        {
            Assert.That(await Store.GetMessageAsync(id, None), Is.Null, id);
        }

        Assert.That(await Store.GetAttemptsAsync("old-delivered", None), Is.Empty);
        var remaining = await ListMessagesAsync(new MessageQuery { WebhookId = "wh-1" });
        Assert.That(Ids(remaining.Items), Is.EquivalentTo(new[] { "old-scheduled", "old-held", "delivered-at-bound", "new-delivered" }));
        Assert.That(Ids(await ClaimAsync(5000)), Is.EqualTo(new[] { "old-scheduled" }));
    }

    /// <summary>
    /// A message the user cancelled during its attempt is finished but still leased: purging keeps it, so that the
    /// attempt's outcome is still written and logged (see <see cref="IWebhookStore.CompleteAsync"/>); it goes once it is released.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task PurgeAsync_MessageCancelledDuringItsAttempt_KeptUntilTheOutcomeIsWritten()
    {
        await AddWebhooksAsync("wh-1");
        var (lease, _) = await ClaimThenCancelAsync(at: 10);

        Assert.That(await Store.PurgeAsync(At(100), None), Is.Zero, "its lease is held until 310 s");
        var outcome = Attempted(lease, at: 11, statusCode: 200);
        Assert.That(await CompleteAsync(outcome), Is.EqualTo(1));
        Assert.That(await Store.GetAttemptsAsync("m-1", None), Is.EqualTo(new[] { outcome.Attempt }));

        Assert.That(await Store.PurgeAsync(At(100), None), Is.EqualTo(1));
        Assert.That(await Store.GetMessageAsync("m-1", None), Is.Null);
    }

    /// <summary>
    /// Purging forgets an event only once no message of it is stored: one kept (finished, but leased while its outcome
    /// is written) still answers for its event, so publishing it again stores nothing; once that message goes, its id
    /// may be used again.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task PurgeAsync_EventWithAMessageStillStored_StaysPublishedUntilTheMessageGoes()
    {
        await AddWebhooksAsync("wh-1", "wh-2");
        var (lease, _) = await ClaimThenCancelAsync(at: 10);

        Assert.That(await Store.PurgeAsync(At(100), None), Is.Zero, "its lease is held until 310 s");
        var again = await EnqueueAsync(NewMessage("m-2", "wh-2", createdAt: 120) with { EventId = "evt-m-1" });
        Assert.That(again, Is.Empty, "the event is still published while its message is stored");

        Assert.That(await CompleteAsync(Attempted(lease, at: 11, statusCode: 200)), Is.EqualTo(1));
        Assert.That(await Store.PurgeAsync(At(100), None), Is.EqualTo(1));
        var afterwards = await EnqueueAsync(NewMessage("m-3", "wh-2", createdAt: 130) with { EventId = "evt-m-1" });
        Assert.That(afterwards, Is.EqualTo(new[] { "m-3" }), "forgotten with its last message");
    }
}
