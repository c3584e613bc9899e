namespace Webhooks.Core.PostgreSql.Tests;

public sealed class PostgreSqlWebhookStoreMessageLogTests : PostgreSqlTestBase
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    [Test]
    public async Task ListMessagesAsync_Filters_MatchMessageQueryMatchesNewestFirst()
    {
        var store = CreateStore();
        DeliveryMessage[] messages =
        [
            TestData.Message("m-1", "wh-1", Now, Now.AddMinutes(1)),
            TestData.Message("m-2", "wh-1", null, Now.AddMinutes(2)) with { Status = MessageStatus.Failed },
            TestData.Message("m-3", "wh-1", Now, Now.AddMinutes(3)) with { EventType = "invoice.paid" },
            TestData.Message("m-4", "wh-2", Now, Now.AddMinutes(4)),
        ];
        await store.EnqueueAsync(messages, Timeout);

        MessageQuery[] queries =
        [
            new() { WebhookId = "wh-1" },
            new() { WebhookId = "wh-1", Status = MessageStatus.Failed },
            new() { WebhookId = "wh-1", EventType = "invoice.paid" },
            new() { WebhookId = "wh-1", CreatedFrom = Now.AddMinutes(2), CreatedTo = Now.AddMinutes(3) },
            new() { WebhookId = "wh-1", Offset = 1, Limit = 1 },
        ];
        foreach (var query in queries)
        {
            var page = await store.ListMessagesAsync(query, Timeout);
            var matching = messages.Where(query.Matches).OrderByDescending(m => m.CreatedAt).Select(m => m.Id).ToArray();
            Assert.That(page.Items.Select(m => m.Id), Is.EqualTo(matching.Skip(query.Offset).Take(query.Limit)), query.ToString());
            Assert.That(page.Total, Is.EqualTo(matching.Length), query.ToString());
        }
    }

    [Test]
    public async Task ListMessagesAsync_EqualCreationTimes_InTheOrderOfTheInMemoryStore()
    {
        var store = CreateStore();
        var memory = new InMemoryWebhookStore();
        DeliveryMessage[] messages = [TestData.Message("msg_001", "wh-1", Now, Now), TestData.Message("msg_002", "wh-1", Now, Now), TestData.Message("msg_003", "wh-1", Now, Now)];
        await store.EnqueueAsync(messages, Timeout);
        await memory.EnqueueAsync(messages, Timeout);
        var query = new MessageQuery { WebhookId = "wh-1" };

        var listed = (await store.ListMessagesAsync(query, Timeout)).Items.Select(m => m.Id);

        Assert.That(listed, Is.EqualTo((await memory.ListMessagesAsync(query, Timeout)).Items.Select(m => m.Id)).And.EqualTo(new[] { "msg_003", "msg_002", "msg_001" }));
    }

    [Test]
    public async Task ListMessagesAsync_WhileMessagesArrive_TotalCountsWhatThePageSaw()
    {
        // The total and the page must come from one snapshot: a message committed between them would otherwise be on the
        // page but not in the total (or the reverse), and a client would stop paging one message early.
        const int Arrivals = 400;
        var store = CreateStore();
        var writer = CreateStore();
        await store.MigrateAsync(Timeout);
        var query = new MessageQuery { WebhookId = "wh-1", Limit = Arrivals };
        var torn = new List<string>();

        var arriving = Task.Run(async () =>
        {
            for (var i = 0; i < Arrivals; i++)
            {
                await writer.EnqueueAsync([TestData.Message($"m-{i:d4}", "wh-1", null, Now.AddTicks(i))], Timeout);
            }
        });
        var pages = 0;
        while (!arriving.IsCompleted)
        {
            var page = await store.ListMessagesAsync(query, Timeout);
            pages++;
            if (page.Items.Count != page.Total)
            {
                torn.Add($"{page.Items.Count} listed, total {page.Total}");
            }
        }

        await arriving;
        Assert.That(pages, Is.GreaterThan(1), "pages listed while messages arrived");
        Assert.That(torn, Is.Empty, $"{torn.Count} of {pages} pages");
    }

    [Test]
    public async Task LookupsByAKeyWithNul_AnswerNoneWithoutAskingTheDatabase()
    {
        // PostgreSQL refuses U+0000 in a parameter; such a key (a %00 in a route) can never have been stored.
        var store = CreateStore();
        await store.MigrateAsync(Timeout);

        Assert.Multiple(async () =>
        {
            Assert.That(await store.GetConfigAsync("wh\0", Timeout), Is.Null);
            Assert.That(await store.DeleteConfigAsync("wh\0", Timeout), Is.False);
            Assert.That(await store.GetMessageAsync("msg\0", Timeout), Is.Null);
            Assert.That(await store.GetAttemptsAsync("msg\0", Timeout), Is.Empty);
            Assert.That(await store.UpdateMessageAsync("msg\0", MessageLifecycle.Cancel, Timeout), Is.Null);
        });
    }

    [Test]
    public async Task UpdateMessageAsync_LeasedMessage_AppliesChangeAndKeepsLease()
    {
        var store = CreateStore();
        await store.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now)], Timeout);
        var lease = (await store.ClaimDueAsync(Now, 1, Lease, Timeout)).Single();

        var cancelled = await store.UpdateMessageAsync("m-1", m => m with { Status = MessageStatus.Cancelled, NextAttemptAt = null }, Timeout);

        Assert.That(cancelled!.Status, Is.EqualTo(MessageStatus.Cancelled));
        Assert.That(await store.CompleteAsync([new MessageOutcome(lease.LeaseId, lease.Message with { Status = MessageStatus.Success }, null)], Timeout), Is.EqualTo(1));
        Assert.That((await store.GetMessageAsync("m-1", Timeout))!.Status, Is.EqualTo(MessageStatus.Cancelled));
        Assert.That(await store.ClaimDueAsync(Now.AddDays(1), 1, Lease, Timeout), Is.Empty);
    }

    [Test]
    public async Task UpdateMessageAsync_RetryNowOnLeasedMessage_ClaimableOnceTheLeaseIsReleased()
    {
        var store = CreateStore();
        await store.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now)], Timeout);
        var lease = (await store.ClaimDueAsync(Now, 1, Lease, Timeout)).Single();

        await store.UpdateMessageAsync("m-1", m => m with { Status = MessageStatus.Retrying, NextAttemptAt = Now.AddSeconds(1) }, Timeout);

        Assert.That(await store.ClaimDueAsync(Now.AddSeconds(1), 1, Lease, Timeout), Is.Empty, "claimed while leased");
        Assert.That(await store.RenewLeaseAsync(lease, Now.AddSeconds(1), Timeout), Is.True);
        Assert.That(await store.ClaimDueAsync(Now.AddSeconds(1), 1, Lease, Timeout), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task UpdateMessageAsync_ChangeReturnsNullOrMessageMissing_LeavesItAlone()
    {
        var store = CreateStore();
        await store.EnqueueAsync([TestData.Message("m-1", "wh-1", Now, Now)], Timeout);

        var unchanged = await store.UpdateMessageAsync("m-1", _ => null, Timeout);
        var missing = await store.UpdateMessageAsync("nope", m => m, Timeout);

        Assert.That(unchanged!.Status, Is.EqualTo(MessageStatus.Created));
        Assert.That(missing, Is.Null);
    }

    [Test]
    public async Task ResumeHeldAsync_HeldMessagesOfWebhook_BecomeDue()
    {
        var store = CreateStore();
        await store.EnqueueAsync(
        [
            TestData.Message("held", "wh-1", null, Now),
            TestData.Message("other-webhook", "wh-2", null, Now),
            TestData.Message("finished", "wh-1", null, Now) with { Status = MessageStatus.Failed },
        ], Timeout);

        Assert.That(await store.ResumeHeldAsync("wh-1", Now, Timeout), Is.EqualTo(1));

        Assert.That((await store.ClaimDueAsync(Now, 10, Lease, Timeout)).Select(l => l.Message.Id), Is.EqualTo(new[] { "held" }));
    }

    [Test]
    public async Task RequeueFailedAsync_FailedSince_BecomeRetryingAndDue()
    {
        var store = CreateStore();
        await store.EnqueueAsync(
        [
            TestData.Message("old", "wh-1", null, Now.AddDays(-2)) with { Status = MessageStatus.Failed },
            TestData.Message("recent", "wh-1", null, Now.AddHours(-1)) with { Status = MessageStatus.Failed, StatusReason = "expired" },
            TestData.Message("ok", "wh-1", null, Now.AddHours(-1)) with { Status = MessageStatus.Success },
        ], Timeout);

        Assert.That(await store.RequeueFailedAsync("wh-1", Now.AddDays(-1), Now, Timeout), Is.EqualTo(1));

        var recent = await store.GetMessageAsync("recent", Timeout);
        Assert.That(recent!.Status, Is.EqualTo(MessageStatus.Retrying));
        Assert.That(recent.NextAttemptAt, Is.EqualTo(Now));
        Assert.That((await store.ClaimDueAsync(Now, 10, Lease, Timeout)).Select(l => l.Message.Id), Is.EqualTo(new[] { "recent" }));
    }

    [Test]
    public async Task FailExpiredHeldAsync_OldHeldMessages_FailedWithReason()
    {
        var store = CreateStore();
        await store.EnqueueAsync(
        [
            TestData.Message("old-held", "wh-1", null, Now.AddDays(-11)),
            TestData.Message("new-held", "wh-1", null, Now.AddDays(-1)),
            TestData.Message("old-due", "wh-1", Now, Now.AddDays(-11)),
        ], Timeout);

        var failed = await store.FailExpiredHeldAsync(Now.AddDays(-10), "Message expired after 10 days.", Timeout);

        Assert.That(failed.Select(m => m.Id), Is.EqualTo(new[] { "old-held" }));
        Assert.That(failed[0].Status, Is.EqualTo(MessageStatus.Failed));
        Assert.That((await store.GetMessageAsync("old-held", Timeout))!.StatusReason, Is.EqualTo("Message expired after 10 days."));
        Assert.That((await store.GetMessageAsync("new-held", Timeout))!.Status, Is.EqualTo(MessageStatus.Created));
    }

    [Test]
    public async Task PurgeAsync_FinishedBeforeHorizon_DeletedWithAttemptsOthersKept()
    {
        var store = CreateStore();
        var old = Now.AddDays(-40);
        var messages = Enumerable.Range(0, 12_000)
            .Select(i => TestData.Message($"old-{i}", "wh-1", old, old) with { Status = MessageStatus.Success })
            .Append(TestData.Message("old-unfinished", "wh-1", Now, old))
            .Append(TestData.Message("new-finished", "wh-1", null, Now) with { Status = MessageStatus.Success })
            .ToList();
        await store.EnqueueAsync(messages, Timeout);
        await store.EnqueueAsync([TestData.Message("old-with-attempt", "wh-1", old, old)], Timeout);
        var lease = (await store.ClaimDueAsync(old, 1, Lease, Timeout)).Single();
        await store.CompleteAsync([new MessageOutcome(lease.LeaseId, lease.Message with { Status = MessageStatus.Success }, TestData.Attempt(1, old, 200))], Timeout);

        var purged = await store.PurgeAsync(Now.AddDays(-30), Timeout);

        Assert.That(purged, Is.EqualTo(12_001));
        Assert.That(await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".attempts"), Is.Zero);
        Assert.That(await store.GetMessageAsync("old-unfinished", Timeout), Is.Not.Null);
        Assert.That(await store.GetMessageAsync("new-finished", Timeout), Is.Not.Null);

        // The events published before the horizon go too (12,001 of them, in chunks), but for the one whose message
        // is unfinished; the newer one stays published as well.
        Assert.That(await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".events"), Is.EqualTo(2));
        var republished = await store.EnqueueAsync(
            [
                TestData.Message("old-0-again", "wh-2", Now, Now, eventId: messages[0].EventId),
                TestData.Message("unfinished-again", "wh-2", Now, Now, eventId: "evt-old-unfinished"),
                TestData.Message("new-again", "wh-2", Now, Now, eventId: messages[^1].EventId),
            ],
            Timeout);
        Assert.That(republished, Is.EqualTo(new[] { "old-0-again" }));
    }
}
