using System.Collections.Concurrent;

namespace Webhooks.Core.PostgreSql.Tests;

public sealed class PostgreSqlWebhookStoreDeliveryTests : PostgreSqlTestBase
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    [Test]
    public async Task EnqueueAsync_SameEventTwice_StoresNothingTheSecondTime_ForAnyWebhook()
    {
        var store = CreateStore();
        var first = TestData.Message("m-1", "wh-1", Now, Now, eventId: "evt-1");
        var again = TestData.Message("m-2", "wh-1", Now, Now, eventId: "evt-1");
        var otherWebhook = TestData.Message("m-3", "wh-2", Now, Now, eventId: "evt-1");

        var stored = await store.EnqueueAsync([first], Timeout);
        var storedAgain = await store.EnqueueAsync([again, otherWebhook], Timeout);

        Assert.That(stored, Is.EqualTo(new[] { "m-1" }));
        Assert.That(storedAgain, Is.Empty);
        Assert.That(await store.GetMessageAsync("m-2", Timeout), Is.Null);
        Assert.That(await store.GetMessageAsync("m-3", Timeout), Is.Null);
    }

    [Test]
    public async Task EnqueueAsync_DuplicatesWithinOneBatch_StoresFirstOnly()
    {
        var store = CreateStore();

        var stored = await store.EnqueueAsync(
            [TestData.Message("m-1", "wh-1", Now, Now, eventId: "evt-1"), TestData.Message("m-2", "wh-1", Now, Now, eventId: "evt-1")], Timeout);

        Assert.That(stored, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task EnqueueAsync_IdsOfMaxIdLength_Stored()
    {
        var store = CreateStore();
        const int Max = PostgreSqlWebhookStore.MaxIdLength;
        var message = TestData.Message(TestData.WideId(Max, 1), TestData.WideId(Max, 2), Now, Now, TestData.WideId(Max, 3))
            with { TenantId = TestData.WideId(Max, 4) };

        Assert.That(await store.EnqueueAsync([message], Timeout), Is.EqualTo(new[] { message.Id }));
    }

    [Test]
    public async Task EnqueueAsync_EventIdLongerThanMaxIdLength_ThrowsNamingItAndStoresNothing()
    {
        var store = CreateStore();
        var eventId = string.Concat(Enumerable.Range(0, 400).Select(_ => Guid.NewGuid().ToString("N")));

        Assert.That(
            async () => await store.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now), TestData.Message("m-2", "wh-1", Now, Now, eventId)], Timeout),
            Throws.ArgumentException.With.Message.Contains("messages[1].EventId").And.Message.Contains("at most 256"));
        Assert.That(await store.GetMessageAsync("m-1", Timeout), Is.Null);
        Assert.That(await store.GetMessageAsync("m-2", Timeout), Is.Null);
    }

    // PostgreSQL refuses U+0000 in text: the raw "invalid byte sequence for encoding UTF8: 0x00" named neither the
    // message nor the field, and in a shared insert it failed the other callers' statement first.
    // UTF-8 cannot encode a surrogate without its pair, which the in-memory store takes in a custom key: Npgsql's
    // encoder threw, naming neither the message nor the field.
    [Test]
    public async Task EnqueueAsync_KeyWithALoneSurrogate_ThrowsNamingItAndStoresNothing()
    {
        var store = CreateStore();

        Assert.That(
            async () => await store.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now), TestData.Message("m-\uD800", "wh-1", Now, Now)], Timeout),
            Throws.ArgumentException.With.Message.Contains("messages[1].Id").And.Message.Contains("surrogate without its pair (U+D800) at character 3"));
        Assert.That(await store.GetMessageAsync("m-1", Timeout), Is.Null);
        Assert.That(await store.GetMessageAsync("m-\uD800", Timeout), Is.Null, "a lookup by a key no row can have");
    }

    [Test]
    public async Task EnqueueAsync_KeyWithNul_ThrowsNamingItAndStoresNothing()
    {
        var store = CreateStore();

        Assert.That(
            async () => await store.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now), TestData.Message("m-2", "wh-1", Now, Now, "evt\0")], Timeout),
            Throws.ArgumentException.With.Message.Contains("messages[1].EventId").And.Message.Contains("U+0000"));
        Assert.That(
            async () => await store.EnqueueAsync([TestData.Message("m-3", "wh-1", Now, Now) with { TenantId = "t\0" }], Timeout),
            Throws.ArgumentException.With.Message.Contains("messages[0].TenantId"));
        Assert.That(
            async () => await store.EnqueueAsync([TestData.Message("m-4", "wh-1", Now, Now) with { EventType = "order\0created" }], Timeout),
            Throws.ArgumentException.With.Message.Contains("messages[0].EventType").And.Message.Contains("U+0000"));
        Assert.That(await store.GetMessageAsync("m-1", Timeout), Is.Null);
        Assert.That(await store.GetMessageAsync("m-3", Timeout), Is.Null);
        Assert.That(await store.GetMessageAsync("m-4", Timeout), Is.Null);
    }

    // An event's messages are stored in one statement and their payloads in one value, which PostgreSQL caps at 1 GiB:
    // beyond it the server dropped the connection ("Connection reset by peer"), naming neither the limit nor what to do.
    [Test]
    public async Task EnqueueAsync_PayloadsBeyondWhatOneValueTakes_ThrowsNamingTheSizeAndStoresNothing()
    {
        var store = CreateStore();
        var payload = new byte[1_000_000];
        var messages = Enumerable.Range(0, 1_075).Select(i => TestData.Message("m-" + i, "wh-1", Now, Now) with { Payload = payload }).ToArray();

        Assert.That(
            async () => await store.EnqueueAsync(messages, Timeout),
            Throws.ArgumentException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("messages")
                .And.Message.Contains("1,075,000,000 bytes").And.Message.Contains("fewer webhooks"));
        Assert.That(await store.GetMessageAsync("m-0", Timeout), Is.Null);
    }

    [Test]
    public async Task GetMessageAsync_AfterEnqueue_RoundTripsEveryField()
    {
        var store = CreateStore();
        var message = TestData.Message("m-1", "wh-1", Now.AddMinutes(5), Now) with
        {
            Status = MessageStatus.Retrying,
            StatusReason = "why",
            AttemptCount = 2,
            LastAttempt = TestData.Attempt(2, Now, 503),
        };

        await store.EnqueueAsync([message], Timeout);
        var stored = await store.GetMessageAsync("m-1", Timeout);

        Assert.That(stored!.Payload.ToArray(), Is.EqualTo(message.Payload.ToArray()));
        Assert.That(stored with { Payload = message.Payload }, Is.EqualTo(message));
    }

    [Test]
    public async Task ClaimDueAsync_MixedMessages_LeasesOnlyDueUnfinishedUnheldEarliestFirst()
    {
        var store = CreateStore();
        await store.EnqueueAsync(
        [
            TestData.Message("late", "wh-1", Now.AddSeconds(-1), Now),
            TestData.Message("early", "wh-1", Now.AddSeconds(-10), Now),
            TestData.Message("future", "wh-1", Now.AddSeconds(1), Now),
            TestData.Message("held", "wh-1", null, Now),
            TestData.Message("done", "wh-1", Now.AddSeconds(-20), Now) with { Status = MessageStatus.Success },
        ], Timeout);

        var leases = await store.ClaimDueAsync(Now, 10, Lease, Timeout);

        Assert.That(leases.Select(l => l.Message.Id), Is.EqualTo(new[] { "early", "late" }));
        Assert.That(leases.Select(l => l.LeaseId).Distinct().Count(), Is.EqualTo(2));
        Assert.That(leases.All(l => l.ExpiresAt == Now + Lease), Is.True);
        Assert.That(leases[0].Message.NextAttemptAt, Is.EqualTo(Now.AddSeconds(-10)), "the message as it was when claimed");
        Assert.That(await store.ClaimDueAsync(Now, 10, Lease, Timeout), Is.Empty, "leased messages are not claimed again");
    }

    [Test]
    public async Task ClaimDueAsync_ThreeInstancesOver5000DueMessages_ClaimEachExactlyOnce()
    {
        var seed = CreateStore();
        await seed.EnqueueAsync(TestData.DueMessages(5_000, "wh-1", Now.AddMinutes(-1)), Timeout);
        var stores = new[] { CreateStore(), CreateStore(), CreateStore() };
        var claims = new ConcurrentBag<(int Instance, string MessageId)>();

        await Task.WhenAll(stores.Select((store, instance) => Task.Run(async () =>
        {
            while (true)
            {
                var leases = await store.ClaimDueAsync(Now, 100, Lease, Timeout);
                if (leases.Count == 0)
                {
                    return;
                }

                foreach (var lease in leases)
                {
                    claims.Add((instance, lease.Message.Id));
                }
            }
        })));

        var ids = claims.Select(c => c.MessageId).ToList();
        Assert.That(ids, Has.Count.EqualTo(5_000));
        Assert.That(ids.Distinct().Count(), Is.EqualTo(5_000), "no message is claimed twice");
        Assert.That(claims.Select(c => c.Instance).Distinct().Count(), Is.GreaterThan(1), "the instances shared the work");
    }

    [Test]
    public async Task ClaimDueAsync_LeaseExpired_AnotherInstanceReclaims()
    {
        var a = CreateStore();
        var b = CreateStore();
        await a.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now)], Timeout);
        var first = (await a.ClaimDueAsync(Now, 10, Lease, Timeout)).Single();

        var beforeExpiry = await b.ClaimDueAsync(Now + Lease - TimeSpan.FromMilliseconds(1), 10, Lease, Timeout);
        var afterExpiry = await b.ClaimDueAsync(Now + Lease, 10, Lease, Timeout);

        Assert.That(beforeExpiry, Is.Empty);
        Assert.That(afterExpiry.Single().Message.Id, Is.EqualTo("m-1"));
        Assert.That(afterExpiry.Single().LeaseId, Is.Not.EqualTo(first.LeaseId));
    }

    [Test]
    public async Task CompleteAsync_StaleLeaseAfterReclaim_IsIgnored()
    {
        var a = CreateStore();
        var b = CreateStore();
        await a.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now)], Timeout);
        var stale = (await a.ClaimDueAsync(Now, 10, Lease, Timeout)).Single();
        var current = (await b.ClaimDueAsync(Now + Lease, 10, Lease, Timeout)).Single();

        var staleWritten = await a.CompleteAsync(
            [new MessageOutcome(stale.LeaseId, stale.Message with { Status = MessageStatus.Success, AttemptCount = 1, NextAttemptAt = null }, TestData.Attempt(1, Now, 200))],
            Timeout);

        Assert.That(staleWritten, Is.Zero);
        Assert.That((await a.GetMessageAsync("m-1", Timeout))!.Status, Is.EqualTo(MessageStatus.Created));
        Assert.That(await a.GetAttemptsAsync("m-1", Timeout), Is.Empty);
        Assert.That(await a.RenewLeaseAsync(stale, Now + Lease * 3, Timeout), Is.False);

        var written = await b.CompleteAsync(
            [new MessageOutcome(current.LeaseId, current.Message with { Status = MessageStatus.Success, AttemptCount = 1, NextAttemptAt = null }, TestData.Attempt(1, Now + Lease, 200))],
            Timeout);
        Assert.That(written, Is.EqualTo(1));
        Assert.That(await b.CompleteAsync([new MessageOutcome(current.LeaseId, current.Message, null)], Timeout), Is.Zero, "a completed lease is released");
    }

    [Test]
    public async Task CompleteAsync_Batch_WritesOutcomesAndAttemptsAndReschedules()
    {
        var store = CreateStore();
        await store.EnqueueAsync([TestData.Message("ok", "wh-1", Now, Now), TestData.Message("retry", "wh-1", Now, Now), TestData.Message("hold", "wh-1", Now, Now)], Timeout);
        var leases = (await store.ClaimDueAsync(Now, 10, Lease, Timeout)).ToDictionary(l => l.Message.Id);
        var success = TestData.Attempt(1, Now, 200);
        var failure = TestData.Attempt(1, Now, 500);

        var written = await store.CompleteAsync(
        [
            new MessageOutcome(leases["ok"].LeaseId, leases["ok"].Message with { Status = MessageStatus.Success, AttemptCount = 1, NextAttemptAt = null, LastAttempt = success }, success),
            new MessageOutcome(leases["retry"].LeaseId, leases["retry"].Message with { Status = MessageStatus.Retrying, AttemptCount = 1, NextAttemptAt = Now.AddSeconds(5), LastAttempt = failure }, failure),
            new MessageOutcome(leases["hold"].LeaseId, leases["hold"].Message with { NextAttemptAt = null }, null),
        ], Timeout);

        Assert.That(written, Is.EqualTo(3));
        Assert.That(await store.GetMessageAsync("ok", Timeout), Has.Property(nameof(DeliveryMessage.Status)).EqualTo(MessageStatus.Success));
        Assert.That((await store.GetMessageAsync("retry", Timeout))!.LastAttempt, Is.EqualTo(failure));
        Assert.That(await store.GetAttemptsAsync("ok", Timeout), Is.EqualTo(new[] { success }));
        Assert.That(await store.GetAttemptsAsync("hold", Timeout), Is.Empty);
        Assert.That(await store.ClaimDueAsync(Now.AddSeconds(4), 10, Lease, Timeout), Is.Empty);
        Assert.That((await store.ClaimDueAsync(Now.AddSeconds(5), 10, Lease, Timeout)).Single().Message.Id, Is.EqualTo("retry"));
        Assert.That(await store.ClaimDueAsync(Now.AddSeconds(64), 10, Lease, Timeout), Is.Empty, "held and finished messages are never claimed");
    }

    [Test]
    public async Task CompleteAsync_AttemptTextWithNul_StoresEveryOutcomeWithReplacementCharacter()
    {
        var store = CreateStore();
        await store.EnqueueAsync([TestData.Message("m-good", "wh-1", Now, Now), TestData.Message("m-nul", "wh-1", Now, Now)], Timeout);
        var leases = (await store.ClaimDueAsync(Now, 10, Lease, Timeout)).ToDictionary(l => l.Message.Id);
        var good = TestData.Attempt(1, Now, 200);

        // A custom transport may report anything, so every string of the attempt and the outcome carries a NUL (the error a lone surrogate).
        var nul = TestData.Attempt(1, Now, 200) with { Url = "https://example.com/\0", ResponseBody = "o\0k", Error = "e\uDC00" };
        var written = await store.CompleteAsync(
        [
            new MessageOutcome(leases["m-good"].LeaseId, leases["m-good"].Message with { Status = MessageStatus.Success, AttemptCount = 1, NextAttemptAt = null, LastAttempt = good }, good),
            new MessageOutcome(
                leases["m-nul"].LeaseId,
                leases["m-nul"].Message with { Status = MessageStatus.Success, StatusReason = "r\0", AttemptCount = 1, NextAttemptAt = null, LastAttempt = nul },
                nul),
        ], Timeout);

        Assert.That(written, Is.EqualTo(2));
        Assert.That((await store.GetMessageAsync("m-good", Timeout))!.Status, Is.EqualTo(MessageStatus.Success), "the other outcome of the batch");
        var stored = await store.GetMessageAsync("m-nul", Timeout);
        var replaced = nul with { Url = "https://example.com/\uFFFD", ResponseBody = "o\uFFFDk", Error = "e\uFFFD" };
        Assert.That(stored!.Status, Is.EqualTo(MessageStatus.Success));
        Assert.That(stored.StatusReason, Is.EqualTo("r\uFFFD"));
        Assert.That(stored.LastAttempt, Is.EqualTo(replaced));
        Assert.That(await store.GetAttemptsAsync("m-nul", Timeout), Is.EqualTo(new[] { replaced }));
    }

    [Test]
    public async Task RenewLeaseAsync_HeldLease_KeepsMessageFromOtherInstances()
    {
        var a = CreateStore();
        var b = CreateStore();
        await a.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now)], Timeout);
        var lease = (await a.ClaimDueAsync(Now, 10, Lease, Timeout)).Single();

        Assert.That(await a.RenewLeaseAsync(lease, Now + Lease * 2, Timeout), Is.True);

        Assert.That(await b.ClaimDueAsync(Now + Lease, 10, Lease, Timeout), Is.Empty);
        Assert.That(await b.ClaimDueAsync(Now + Lease * 2, 10, Lease, Timeout), Has.Count.EqualTo(1));
    }
}
