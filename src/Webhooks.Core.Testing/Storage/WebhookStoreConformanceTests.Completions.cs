using NUnit.Framework;

namespace Webhooks.Core.Testing;

/// <content>Completing leased messages: outcomes, attempts and stale leases.</content>
public abstract partial class WebhookStoreConformanceTests
{
    /// <summary>A successful attempt is written (status, count, last attempt, no next time), logged, and releases the message for good.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task CompleteAsync_Success_WritesTheOutcomeAndTheAttempt()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));
        var outcome = Attempted(await ClaimOneAsync(0), at: 1, statusCode: 204);

        var written = await CompleteAsync(outcome);

        Assert.That(written, Is.EqualTo(1));
        AssertSameMessage(await Store.GetMessageAsync("m-1", None), outcome.Message);
        Assert.That(await Store.GetAttemptsAsync("m-1", None), Is.EqualTo(new[] { outcome.Attempt }));
        Assert.That(await ClaimAsync(1_000_000), Is.Empty);
    }

    /// <summary>A failed attempt with a retry reschedules the message: not claimable before the retry time, claimable at it.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task CompleteAsync_Retry_ReschedulesAtTheNextAttemptTime()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));
        var outcome = Attempted(await ClaimOneAsync(0), at: 1, statusCode: 503, retryAt: 60);

        await CompleteAsync(outcome);

        AssertSameMessage(await Store.GetMessageAsync("m-1", None), outcome.Message);
        Assert.That(await ClaimAsync(59), Is.Empty);
        var retry = await ClaimOneAsync(60);
        Assert.That((retry.Message.Status, retry.Message.AttemptCount), Is.EqualTo((MessageStatus.Retrying, 1)));
    }

    /// <summary>An outcome without an attempt and without a next time holds the message: nothing is logged and it waits to be resumed.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task CompleteAsync_HeldWithoutAttempt_HoldsTheMessage()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));
        var lease = await ClaimOneAsync(0);

        var written = await CompleteAsync(new MessageOutcome(lease.LeaseId, lease.Message with { NextAttemptAt = null }, null));

        Assert.That(written, Is.EqualTo(1));
        Assert.That((await GetMessageAsync("m-1")).NextAttemptAt, Is.Null);
        Assert.That(await Store.GetAttemptsAsync("m-1", None), Is.Empty);
        Assert.That(await ClaimAsync(1_000_000), Is.Empty);
        Assert.That(await Store.ResumeHeldAsync("wh-1", At(10), None), Is.EqualTo(1));
        Assert.That(Ids(await ClaimAsync(10)), Is.EqualTo(new[] { "m-1" }));
    }

    /// <summary>Attempts accumulate across retries and are read oldest first.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task CompleteAsync_SeveralAttempts_AppendedOldestFirst()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));
        var expected = new List<DeliveryAttempt>();
        foreach (var (at, statusCode, retryAt) in new (int, int, int?)[] { (0, 500, 10), (10, 429, 30), (30, 502, 70), (70, 200, null) })
        {
            var outcome = Attempted(await ClaimOneAsync(at), at, statusCode, retryAt);
            Assert.That(await CompleteAsync(outcome), Is.EqualTo(1));
            expected.Add(outcome.Attempt!);
        }

        Assert.That(await Store.GetAttemptsAsync("m-1", None), Is.EqualTo(expected));
        var message = await GetMessageAsync("m-1");
        Assert.That((message.Status, message.AttemptCount, message.LastAttempt), Is.EqualTo((MessageStatus.Success, 4, expected[^1])));
    }

    /// <summary>
    /// A completion under a lease that expired and was claimed again is ignored and not counted; the current lease's
    /// completion is written.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task CompleteAsync_StaleLease_IgnoredAndNotCounted()
    {
        await AddWebhooksAsync("wh-1");
        var original = NewMessage("m-1", "wh-1");
        await EnqueueAsync(original);
        var stale = await ClaimOneAsync(0);
        var current = await ClaimOneAsync(400);

        var staleWritten = await CompleteAsync(Attempted(stale, at: 401, statusCode: 200));

        Assert.That(staleWritten, Is.Zero);
        AssertSameMessage(await Store.GetMessageAsync("m-1", None), original);
        Assert.That(await Store.GetAttemptsAsync("m-1", None), Is.Empty);
        Assert.That(await CompleteAsync(Attempted(current, at: 402, statusCode: 500, retryAt: 500)), Is.EqualTo(1));
        Assert.That((await GetMessageAsync("m-1")).Status, Is.EqualTo(MessageStatus.Retrying));
    }

    /// <summary>A lease completes once: completing it again is ignored.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task CompleteAsync_SameLeaseTwice_SecondIgnored()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));
        var lease = await ClaimOneAsync(0);
        var first = Attempted(lease, at: 1, statusCode: 500, retryAt: 60);
        await CompleteAsync(first);

        var second = await CompleteAsync(Attempted(lease, at: 2, statusCode: 200));

        Assert.That(second, Is.Zero);
        AssertSameMessage(await Store.GetMessageAsync("m-1", None), first.Message);
        Assert.That(await Store.GetAttemptsAsync("m-1", None), Has.Count.EqualTo(1));
    }

    /// <summary>In a batch, only the outcomes under current leases are written and counted.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task CompleteAsync_MixedBatch_CountsOnlyCurrentLeases()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"), NewMessage("m-2", "wh-1", dueAt: 1), NewMessage("m-3", "wh-1", dueAt: 2));
        var leases = await ClaimAsync(2);
        var forged = leases[2] with { LeaseId = Guid.NewGuid() };
        var stale = leases[1];
        Assert.That(await Store.RenewLeaseAsync(stale, At(2), None), Is.True);
        Assert.That((await ClaimOneAsync(2)).LeaseId, Is.Not.EqualTo(stale.LeaseId), "m-2 claimed again once its lease was released");

        var written = await CompleteAsync(
            Attempted(leases[0], at: 3, statusCode: 200),
            Attempted(stale, at: 3, statusCode: 200),
            Attempted(forged, at: 3, statusCode: 200));

        Assert.That(written, Is.EqualTo(1));
        Assert.That((await GetMessageAsync("m-1")).Status, Is.EqualTo(MessageStatus.Success));
        Assert.That((await GetMessageAsync("m-2")).Status, Is.EqualTo(MessageStatus.Created));
        Assert.That((await GetMessageAsync("m-3")).Status, Is.EqualTo(MessageStatus.Created));
    }

    /// <summary>
    /// A batch holding a stale outcome and the current one of the same message (its holder's lease lapsed and the same
    /// process claimed it again) writes only the current one, and logs only its attempt: whichever comes first.
    /// </summary>
    /// <param name="staleFirst">Whether the stale outcome comes first in the batch.</param>
    /// <returns>A task that completes with the test.</returns>
    [TestCase(true)]
    [TestCase(false)]
    public async Task CompleteAsync_StaleAndCurrentOutcomeOfOneMessageInOneBatch_WritesAndLogsOnlyTheCurrent(bool staleFirst)
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));
        var stale = Attempted(await ClaimOneAsync(0), at: 301, statusCode: 500, retryAt: 900);
        var current = Attempted(await ClaimOneAsync(400), at: 402, statusCode: 200);

        await AssertOnlyWrittenAsync(current, staleFirst ? [stale, current] : [current, stale]);
    }

    /// <summary>
    /// A lease presented twice in one batch completes once, with the first outcome: the second finds it released, as it
    /// would in a later call.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task CompleteAsync_SameLeaseTwiceInOneBatch_FirstWrittenAndLoggedOnce()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));
        var lease = await ClaimOneAsync(0);
        var first = Attempted(lease, at: 1, statusCode: 500, retryAt: 60);

        await AssertOnlyWrittenAsync(first, [first, Attempted(lease, at: 2, statusCode: 200)]);
    }

    /// <summary>Completes <paramref name="batch"/> and checks that of its outcomes only <paramref name="written"/> was written, with its attempt alone logged.</summary>
    private async Task AssertOnlyWrittenAsync(MessageOutcome written, MessageOutcome[] batch)
    {
        Assert.That(await CompleteAsync(batch), Is.EqualTo(1));
        AssertSameMessage(await Store.GetMessageAsync(written.Message.Id, None), written.Message);
        Assert.That(await Store.GetAttemptsAsync(written.Message.Id, None), Is.EqualTo(new[] { written.Attempt }));
    }

    /// <summary>An outcome without a message is refused with <see cref="ArgumentNullException"/>, and nothing of the batch is written.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task CompleteAsync_OutcomeWithoutMessage_ThrowsArgumentNull()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"));
        var outcome = Attempted(await ClaimOneAsync(0), at: 1, statusCode: 200);

        Assert.That(
            async () => await Store.CompleteAsync([outcome, new MessageOutcome(Guid.NewGuid(), null!, null)], None),
            Throws.ArgumentNullException);
        Assert.That((await GetMessageAsync("m-1")).Status, Is.EqualTo(MessageStatus.Created));
    }
}
