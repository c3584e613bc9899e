using Webhooks.Core.PostgreSql.Internal;

namespace Webhooks.Core.PostgreSql.Tests;

/// <summary>Messages enqueued while the same store's dispatcher claims go to it leased, without a claim round trip.</summary>
public sealed class LocalHandOffTests : PostgreSqlTestBase
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    [Test]
    public async Task EnqueueAsync_WhileTheStoreClaims_LeasesInTheInsertAndHandsOffToTheNextClaim()
    {
        var store = CreateStore();
        var other = CreateStore();
        Assert.That(await store.ClaimDueAsync(Now, 10, Lease, Timeout), Is.Empty);

        await store.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now)], Timeout);

        Assert.That(store.HandedOffCount, Is.EqualTo(1));
        Assert.That(await LeaseExpiryAsync("m-1"), Is.EqualTo(Now + Lease), "leased in the database, on the claimer's clock");
        Assert.That(await other.ClaimDueAsync(Now, 10, Lease, Timeout), Is.Empty, "another instance does not get it");

        var lease = (await store.ClaimDueAsync(Now, 10, Lease, Timeout)).Single();
        Assert.That(lease.Message.Id, Is.EqualTo("m-1"));
        Assert.That(lease.LeaseId, Is.EqualTo(await LeaseIdAsync("m-1")));
        Assert.That(lease.ExpiresAt, Is.EqualTo(Now + Lease));
        Assert.That(store.HandedOffCount, Is.Zero);
        var written = await store.CompleteAsync(
            [new MessageOutcome(lease.LeaseId, lease.Message with { Status = MessageStatus.Success, AttemptCount = 1, NextAttemptAt = null }, TestData.Attempt(1, Now, 200))],
            Timeout);
        Assert.That(written, Is.EqualTo(1), "the handed-off lease completes like a claimed one");
    }

    [Test]
    public async Task EnqueueAsync_BeforeAnyClaim_LeavesMessagesToEveryInstance()
    {
        var store = CreateStore();
        var other = CreateStore();

        await store.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now)], Timeout);

        Assert.That(store.HandedOffCount, Is.Zero);
        Assert.That((await other.ClaimDueAsync(Now, 10, Lease, Timeout)).Single().Message.Id, Is.EqualTo("m-1"));
    }

    [Test]
    public async Task EnqueueAsync_ClaimsStoppedForHalfALease_LeavesMessagesToEveryInstance()
    {
        var store = CreateStore();
        var other = CreateStore();
        await store.ClaimDueAsync(Now, 10, Lease, Timeout);
        Time.Advance(Lease / 2);

        await store.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now)], Timeout);

        Assert.That(store.HandedOffCount, Is.Zero);
        Assert.That((await other.ClaimDueAsync(Time.GetUtcNow(), 10, Lease, Timeout)).Single().Message.Id, Is.EqualTo("m-1"));
    }

    [Test]
    public async Task EnqueueAsync_LastClaimGotAllItAskedFor_LeavesMessagesToEveryInstance()
    {
        var store = CreateStore();
        var other = CreateStore();
        await other.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now), TestData.Message("m-2", "wh-1", Now, Now)], Timeout);
        Assert.That(await store.ClaimDueAsync(Now, 2, Lease, Timeout), Has.Count.EqualTo(2));

        await store.EnqueueAsync([TestData.Message("m-3", "wh-1", Now, Now)], Timeout);

        Assert.That(store.HandedOffCount, Is.Zero, "a dispatcher with no room left does not hold on to new messages");
        Assert.That((await other.ClaimDueAsync(Now, 10, Lease, Timeout)).Single().Message.Id, Is.EqualTo("m-3"));
    }

    [Test]
    public async Task EnqueueAsync_MoreThanTheLastClaimHadRoomFor_HandsOffOnlyThatMany()
    {
        var store = CreateStore();
        var other = CreateStore();
        await store.ClaimDueAsync(Now, 2, Lease, Timeout);

        await store.EnqueueAsync([.. Enumerable.Range(1, 5).Select(i => TestData.Message("m-" + i, "wh-1", Now, Now))], Timeout);

        Assert.That(store.HandedOffCount, Is.EqualTo(2));
        Assert.That(await other.ClaimDueAsync(Now, 10, Lease, Timeout), Has.Count.EqualTo(3));
        Assert.That(await store.ClaimDueAsync(Now, 10, Lease, Timeout), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task EnqueueAsync_FutureHeldOrAlreadyStored_IsNotHandedOff()
    {
        var store = CreateStore();
        await store.EnqueueAsync([TestData.Message("m-0", "wh-1", Now, Now, eventId: "evt-dup")], Timeout);
        await store.ClaimDueAsync(Now, 10, Lease, Timeout);

        var stored = await store.EnqueueAsync(
        [
            TestData.Message("future", "wh-1", Now.AddSeconds(1), Now),
            TestData.Message("held", "wh-1", null, Now),
            TestData.Message("duplicate", "wh-1", Now, Now, eventId: "evt-dup"),
        ], Timeout);

        Assert.That(stored, Is.EqualTo(new[] { "future", "held" }));
        Assert.That(store.HandedOffCount, Is.Zero);
        Assert.That(await LeaseIdAsync("future"), Is.Null);
    }

    [Test]
    public async Task ClaimDueAsync_HandedOffLeaseLapsed_LeavesTheMessageToTheDatabase()
    {
        var store = CreateStore();
        var other = CreateStore();
        await store.ClaimDueAsync(Now, 10, Lease, Timeout);
        await store.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now)], Timeout);

        var reclaimed = (await other.ClaimDueAsync(Now + Lease, 10, Lease, Timeout)).Single();
        var mine = await store.ClaimDueAsync(Now + Lease, 10, Lease, Timeout);

        Assert.That(reclaimed.Message.Id, Is.EqualTo("m-1"));
        Assert.That(mine, Is.Empty, "the lapsed hand-off is dropped, and the database has the message leased to the other instance");
        Assert.That(store.HandedOffCount, Is.Zero);
    }

    [Test]
    public async Task ClaimDueAsync_HandedOffMessagesWaiting_AsksTheDatabaseAgainOnlyAfterTheInterval()
    {
        var store = CreateStore();
        var other = CreateStore();
        await store.ClaimDueAsync(Now, 10, Lease, Timeout);
        await other.EnqueueAsync([TestData.Message("elsewhere", "wh-1", Now, Now)], Timeout);
        await store.EnqueueAsync([TestData.Message("here-1", "wh-1", Now, Now)], Timeout);

        var first = await store.ClaimDueAsync(Now, 10, Lease, Timeout);
        Time.Advance(LocalHandOff.DatabaseClaimInterval);
        var now = Time.GetUtcNow();
        await store.EnqueueAsync([TestData.Message("here-2", "wh-1", now, now)], Timeout);
        var second = await store.ClaimDueAsync(now, 10, Lease, Timeout);

        Assert.That(first.Select(l => l.Message.Id), Is.EqualTo(new[] { "here-1" }), "no notification came and the interval had not passed");
        Assert.That(second.Select(l => l.Message.Id), Is.EquivalentTo(new[] { "elsewhere", "here-2" }));
    }

    [Test]
    public async Task ClaimDueAsync_HandedOffMessagesWaiting_AsksTheDatabaseAfterADueNotification()
    {
        var store = CreateStore();
        var other = CreateStore();
        var notified = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = store.Subscribe(() => Volatile.Read(ref notified).TrySetResult());
        await store.WaitUntilListeningAsync(Timeout);
        await store.ClaimDueAsync(Now, 10, Lease, Timeout);
        await store.EnqueueAsync([TestData.Message("here", "wh-1", Now, Now)], Timeout);

        // Whatever woke the subscriber before (the listener connecting) is not what this test waits for.
        Volatile.Write(ref notified, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await other.EnqueueAsync([TestData.Message("elsewhere", "wh-1", Now, Now)], Timeout);
        await notified.Task.WaitAsync(Timeout);
        var leases = await store.ClaimDueAsync(Now, 10, Lease, Timeout);

        Assert.That(leases.Select(l => l.Message.Id), Is.EquivalentTo(new[] { "elsewhere", "here" }));
    }

    [Test]
    public async Task DisposeAsync_HandedOffMessagesNotTaken_GivesTheirLeasesBack()
    {
        var store = CreateStore();
        var other = CreateStore();
        await store.ClaimDueAsync(Now, 10, Lease, Timeout);
        await store.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now)], Timeout);

        await store.DisposeAsync();

        Assert.That(await LeaseIdAsync("m-1"), Is.Null);
        Assert.That((await other.ClaimDueAsync(Now, 10, Lease, Timeout)).Single().Message.Id, Is.EqualTo("m-1"));
    }

    /// <summary>
    /// Completes once the notifications sent on the channel so far have reached <paramref name="store"/>: they arrive in
    /// the order they were committed, so once a marker sent after them has (an outbox one, which nothing else sends here).
    /// </summary>
    private static async Task NotificationsReceivedAsync(PostgreSqlWebhookStore store)
    {
        var marked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = store.SubscribeOutbox(() => marked.TrySetResult());
        await store.WaitUntilListeningAsync(Timeout);
        await PostgreSqlTestDatabase.ExecuteAsync("SELECT pg_notify($1, 'o')", store.Channel);
        await marked.Task.WaitAsync(Timeout);
    }

    private async Task<Guid?> LeaseIdAsync(string messageId) =>
        await PostgreSqlTestDatabase.ScalarAsync<object>($"SELECT lease_id FROM \"{Schema}\".messages WHERE id = $1", messageId) as Guid?;

    private async Task<DateTimeOffset> LeaseExpiryAsync(string messageId) =>
        new(await PostgreSqlTestDatabase.ScalarAsync<DateTime>($"SELECT lease_expires_at FROM \"{Schema}\".messages WHERE id = $1", messageId));
    [Test]
    public async Task MessageCancelledInThisProcessBeforeItsClaim_IsNotHandedOut()
    {
        var store = CreateStore();
        Assert.That(await store.ClaimDueAsync(Now, 10, Lease, Timeout), Is.Empty, "this store's dispatcher claims");
        await store.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now)], Timeout);

        Assert.That((await store.UpdateMessageAsync("m-1", MessageLifecycle.Cancel, Timeout))!.Status, Is.EqualTo(MessageStatus.Cancelled));

        Assert.That(await store.ClaimDueAsync(Now, 10, Lease, Timeout), Is.Empty, "a cancelled message is finished: not claimed");
    }

    [Test]
    public async Task MessageCancelledOnAnotherInstanceBeforeItsClaim_IsNotHandedOut()
    {
        var store = CreateStore();
        var other = CreateStore();
        await store.WaitUntilListeningAsync(Timeout);
        Assert.That(await store.ClaimDueAsync(Now, 10, Lease, Timeout), Is.Empty);
        await store.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now)], Timeout);
        Assert.That(store.HandedOffCount, Is.EqualTo(1));

        await other.UpdateMessageAsync("m-1", MessageLifecycle.Cancel, Timeout);

        await WaitUntilAsync(() => Task.FromResult(store.HandedOffCount == 0), "the other instance's cancel reached this one");
        Assert.That(await store.ClaimDueAsync(Now, 10, Lease, Timeout), Is.Empty);
    }

    // Only a cancel made on another instance reached the hand-off: a message postponed or held there was handed out
    // at the next claim as it was inserted, due at once.
    [Test]
    public async Task MessagePostponedOrHeldOnAnotherInstanceBeforeItsClaim_IsNotHandedOutBeforeItsNewTime()
    {
        var store = CreateStore();
        var other = CreateStore();
        await store.WaitUntilListeningAsync(Timeout);
        Assert.That(await store.ClaimDueAsync(Now, 10, Lease, Timeout), Is.Empty);
        await store.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now), TestData.Message("m-2", "wh-1", Now, Now)], Timeout);
        Assert.That(store.HandedOffCount, Is.EqualTo(2));

        await other.UpdateMessageAsync("m-1", message => message with { NextAttemptAt = Now.AddSeconds(50) }, Timeout);
        await other.UpdateMessageAsync("m-2", message => message with { NextAttemptAt = null }, Timeout);

        await NotificationsReceivedAsync(store);
        Assert.That(await store.ClaimDueAsync(Now.AddSeconds(49), 10, Lease, Timeout), Is.Empty);
        var lease = (await store.ClaimDueAsync(Now.AddSeconds(50), 10, Lease, Timeout)).Single();
        Assert.That((lease.Message.Id, lease.Message.NextAttemptAt), Is.EqualTo(("m-1", (DateTimeOffset?)Now.AddSeconds(50))), "claimed from the database, as changed");
    }

    // A webhook deleted on another instance took its messages from the table but not from this one's hand-off: the
    // dispatcher took them as inserted and, with a webhook of the same tenant created again with the id, sent them to it.
    [Test]
    public async Task WebhookDeletedAndCreatedAgainOnAnotherInstanceBeforeTheClaim_ItsMessagesAreNotHandedOut()
    {
        var store = CreateStore();
        var other = CreateStore();
        await store.AddConfigAsync(TestData.Config("wh-1"), Timeout);
        await store.WaitUntilListeningAsync(Timeout);
        Assert.That(await store.ClaimDueAsync(Now, 10, Lease, Timeout), Is.Empty);
        await store.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now), TestData.Message("m-2", "wh-2", Now, Now)], Timeout);

        Assert.That(await other.DeleteConfigAsync("wh-1", Timeout), Is.True);
        await other.AddConfigAsync(TestData.Config("wh-1"), Timeout);

        await NotificationsReceivedAsync(store);
        Assert.That((await store.ClaimDueAsync(Now, 10, Lease, Timeout)).Select(l => l.Message.Id), Is.EqualTo(new[] { "m-2" }));
    }

    [Test]
    public async Task WebhookDeletedInThisProcessBeforeTheClaim_ItsMessagesAreNotHandedOut()
    {
        var store = CreateStore();
        await store.AddConfigAsync(TestData.Config("wh-1"), Timeout);
        Assert.That(await store.ClaimDueAsync(Now, 10, Lease, Timeout), Is.Empty);
        await store.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now), TestData.Message("m-2", "wh-2", Now, Now)], Timeout);

        Assert.That(await store.DeleteConfigAsync("wh-1", Timeout), Is.True);

        Assert.That((await store.ClaimDueAsync(Now, 10, Lease, Timeout)).Select(l => l.Message.Id), Is.EqualTo(new[] { "m-2" }));
    }
}
