using NUnit.Framework;

namespace Webhooks.Core.Testing;

/// <content>Listing a webhook's messages: filters, ordering and paging.</content>
public abstract partial class WebhookStoreConformanceTests
{
    /// <summary>
    /// The listing returns every field of each message, as reading one does, and completions store the status reason,
    /// also when they clear it: the delivery log shows a message's last attempt and why it failed.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListMessagesAsync_AfterCompletions_ItemsCarryEveryFieldWithTheReason()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1"), NewMessage("m-2", "wh-1") with { StatusReason = MessageLifecycle.RetryRequestedReason });
        var leases = await Store.ClaimDueAsync(At(0), 10, LeaseDuration, None);
        var failing = Attempted(leases.Single(static l => l.Message.Id == "m-1"), at: 5, statusCode: 500);
        var failed = failing with { Message = failing.Message with { StatusReason = "Undeliverable: the retry schedule is exhausted after 1 attempt." } };
        var succeeding = Attempted(leases.Single(static l => l.Message.Id == "m-2"), at: 5, statusCode: 200);
        var succeeded = succeeding with { Message = succeeding.Message with { StatusReason = null } };

        Assert.That(await Store.CompleteAsync([failed, succeeded], None), Is.EqualTo(2));
        var listed = await Store.ListMessagesAsync(new MessageQuery { WebhookId = "wh-1" }, None);

        Assert.That(listed.Items, Has.Count.EqualTo(2));
        AssertSameMessage(await Store.GetMessageAsync("m-1", None), failed.Message);
        AssertSameMessage(await Store.GetMessageAsync("m-2", None), succeeded.Message);
        AssertSameMessage(listed.Items.Single(static m => m.Id == "m-1"), failed.Message);
        AssertSameMessage(listed.Items.Single(static m => m.Id == "m-2"), succeeded.Message);
    }

    /// <summary>A webhook's messages are listed newest first, without other webhooks' messages.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListMessagesAsync_NoFilter_NewestFirstWithTotal()
    {
        await AddWebhooksAsync("wh-1", "wh-2");
        await EnqueueAsync(NewMessage("m-1", "wh-1", createdAt: 10), NewMessage("m-2", "wh-1", createdAt: 30), NewMessage("m-3", "wh-2", createdAt: 40));
        await EnqueueAsync(NewMessage("m-4", "wh-1", createdAt: 20));

        var page = await ListMessagesAsync(new MessageQuery { WebhookId = "wh-1" });

        Assert.That((Ids(page.Items), page.Total, page.Offset, page.Limit), Is.EqualTo((new[] { "m-2", "m-4", "m-1" }, 3, 0, 50)));
    }

    /// <summary>A status filter lists only messages with that status, as they are now.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListMessagesAsync_StatusFilter_ListsOnlyThatStatus()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(NewMessage("m-1", "wh-1", createdAt: 1), NewMessage("m-2", "wh-1", dueAt: 50, createdAt: 2), NewMessage("m-3", "wh-1", createdAt: 3));
        var leases = await ClaimAsync(0);
        await CompleteAsync([.. leases.Select(lease => Attempted(lease, at: 1, statusCode: 200))]);

        var delivered = await ListMessagesAsync(new MessageQuery { WebhookId = "wh-1", Status = MessageStatus.Success });
        var waiting = await ListMessagesAsync(new MessageQuery { WebhookId = "wh-1", Status = MessageStatus.Created });

        Assert.That((Ids(delivered.Items), delivered.Total), Is.EqualTo((new[] { "m-3", "m-1" }, 2)));
        Assert.That((Ids(waiting.Items), waiting.Total), Is.EqualTo((new[] { "m-2" }, 1)));
    }

    /// <summary>A page holds the requested slice of the matching messages, and the total counts them all.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListMessagesAsync_Paging_ReturnsThePageAndTheTotal()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync([.. Enumerable.Range(1, 5).Select(i => NewMessage($"m-{i}", "wh-1", createdAt: i))]);

        var page = await ListMessagesAsync(new MessageQuery { WebhookId = "wh-1", Offset = 1, Limit = 2 });
        var beyond = await ListMessagesAsync(new MessageQuery { WebhookId = "wh-1", Offset = 7, Limit = 2 });

        Assert.That((Ids(page.Items), page.Total, page.Offset, page.Limit), Is.EqualTo((new[] { "m-4", "m-3" }, 5, 1, 2)));
        Assert.That((beyond.Items.Count, beyond.Total), Is.EqualTo((0, 5)));
    }

    /// <summary>
    /// The position of a page's last message gives the next page: messages that arrived meanwhile neither repeat it nor
    /// push messages off it, as they do with an offset, and the total counts what comes after the position.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListMessagesAsync_AfterTheLastOfAPage_ListsTheNextOneWhateverArrivedMeanwhile()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync([.. Enumerable.Range(1, 5).Select(i => NewMessage($"m-{i}", "wh-1", createdAt: i))]);
        var first = await ListMessagesAsync(new MessageQuery { WebhookId = "wh-1", Limit = 2 });

        await EnqueueAsync(NewMessage("m-6", "wh-1", createdAt: 6), NewMessage("m-7", "wh-1", createdAt: 7));
        var next = await ListMessagesAsync(new MessageQuery { WebhookId = "wh-1", Limit = 2, After = MessageLogPosition.Of(first.Items[^1]) });
        var last = await ListMessagesAsync(new MessageQuery { WebhookId = "wh-1", Limit = 2, After = MessageLogPosition.Of(next.Items[^1]) });

        Assert.That(Ids(first.Items), Is.EqualTo(new[] { "m-5", "m-4" }));
        Assert.That((Ids(next.Items), next.Total), Is.EqualTo((new[] { "m-3", "m-2" }, 3)));
        Assert.That((Ids(last.Items), last.Total), Is.EqualTo((new[] { "m-1" }, 1)));
    }

    /// <summary>
    /// Among messages created at the same time the log runs by id from the last, compared ordinally, and a position
    /// continues there: also the position of a message not stored (deleted, or never there, even with an id that no
    /// stored message could have), and with an offset.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListMessagesAsync_AfterAPositionAmongMessagesOfOneTime_ContinuesByIdFromTheLast()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync(
            NewMessage("m-a", "wh-1", createdAt: 5),
            NewMessage("m-B", "wh-1", createdAt: 5),
            NewMessage("m-c", "wh-1", createdAt: 5),
            NewMessage("m-_", "wh-1", createdAt: 5),
            NewMessage("m-old", "wh-1", createdAt: 4),
            NewMessage("m-new", "wh-1", createdAt: 6));

        var all = await ListMessagesAsync(new MessageQuery { WebhookId = "wh-1" });
        var afterC = await ListMessagesAsync(new MessageQuery { WebhookId = "wh-1", After = new MessageLogPosition(At(5), "m-c") });
        var afterMissing = await ListMessagesAsync(new MessageQuery { WebhookId = "wh-1", After = new MessageLogPosition(At(5), "m-Z") });
        var afterAnIdNoneStoredCouldHave = await ListMessagesAsync(new MessageQuery { WebhookId = "wh-1", After = new MessageLogPosition(At(5), "m-_\0") });
        var afterWithOffset = await ListMessagesAsync(new MessageQuery { WebhookId = "wh-1", After = new MessageLogPosition(At(5), "m-c"), Offset = 2, Limit = 1 });
        var afterTheLast = await ListMessagesAsync(new MessageQuery { WebhookId = "wh-1", After = new MessageLogPosition(At(4), "m-old") });

        Assert.That(Ids(all.Items), Is.EqualTo(new[] { "m-new", "m-c", "m-a", "m-_", "m-B", "m-old" }));
        Assert.That((Ids(afterC.Items), afterC.Total), Is.EqualTo((new[] { "m-a", "m-_", "m-B", "m-old" }, 4)));
        Assert.That(Ids(afterMissing.Items), Is.EqualTo(new[] { "m-B", "m-old" }));
        Assert.That(Ids(afterAnIdNoneStoredCouldHave.Items), Is.EqualTo(new[] { "m-_", "m-B", "m-old" }), "after an id with U+0000");
        Assert.That((Ids(afterWithOffset.Items), afterWithOffset.Total), Is.EqualTo((new[] { "m-B" }, 4)));
        Assert.That((afterTheLast.Items.Count, afterTheLast.Total), Is.EqualTo((0, 0)));
    }

    /// <summary>
    /// A position whose id has a surrogate without its pair (a custom id; only some stores can hold one) lists the ids
    /// below it: those below U+D800 at that place, not those from U+E000.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListMessagesAsync_AfterAnIdWithALoneSurrogate_ListsTheIdsBelowIt()
    {
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync([.. new[] { "m-a", "m-\uD7FF", "m-\uE000", "m-\uFFFD", "m-\uD83D\uDE00" }.Select(id => NewMessage(id, "wh-1", createdAt: 5))]);

        var after = await ListMessagesAsync(new MessageQuery { WebhookId = "wh-1", After = new MessageLogPosition(At(5), "m-\uD800z") });

        Assert.That(Ids(after.Items), Is.EqualTo(new[] { "m-\uD7FF", "m-a" }));
    }

    /// <summary>
    /// The position of a message as it was enqueued, its time finer than the store keeps times (PostgreSQL keeps
    /// microseconds, and Npgsql drops the rest towards 2000-01-01), lists what follows the message in the listing: it
    /// neither repeats the message nor skips those the store keeps at the same time, before 2000 as after.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListMessagesAsync_AfterAMessageAsEnqueued_ListsWhatFollowsItInTheListing()
    {
        (string Webhook, DateTimeOffset Time)[] logs = [("wh-1", At(5)), ("wh-2", new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero))];
        await AddWebhooksAsync([.. logs.Select(static log => log.Webhook)]);
        foreach (var (webhook, time) in logs)
        {
            DeliveryMessage[] messages = [.. new[] { ("m-x", 15), ("m-c", 10), ("m-a", 7), ("m-b", 3) }
                .Select(m => NewMessage($"{m.Item1}-{webhook}", webhook) with { CreatedAt = time.AddTicks(m.Item2) })];
            await EnqueueAsync(messages);
            var listed = Ids((await ListMessagesAsync(new MessageQuery { WebhookId = webhook })).Items).ToList();

            foreach (var message in messages)
            {
                var after = await ListMessagesAsync(new MessageQuery { WebhookId = webhook, After = MessageLogPosition.Of(message) });
                Assert.That(Ids(after.Items), Is.EqualTo(listed.Skip(listed.IndexOf(message.Id) + 1)), $"after {message.Id} at {time:O}, listed {string.Join(", ", listed)}");
            }
        }
    }

    /// <summary>Listing a webhook without messages returns an empty page.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListMessagesAsync_NoMessages_ReturnsAnEmptyPage()
    {
        await AddWebhooksAsync("wh-1", "wh-2");
        await EnqueueAsync(NewMessage("m-1", "wh-2"));

        var page = await ListMessagesAsync(new MessageQuery { WebhookId = "wh-1" });

        Assert.That((page.Items.Count, page.Total), Is.EqualTo((0, 0)));
    }

    /// <summary>For a range of queries, the listing is exactly the messages <see cref="MessageQuery.Matches"/> accepts, newest first and paged.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ListMessagesAsync_VariousQueries_AgreesWithQueryMatches()
    {
        await AddWebhooksAsync("wh-1", "wh-2");
        var statuses = Enum.GetValues<MessageStatus>();
        var messages = Enumerable.Range(0, 40).Select(i => NewMessage($"m-{i:D2}", i % 4 == 0 ? "wh-2" : "wh-1", createdAt: i) with
        {
            EventType = i % 3 == 0 ? "order.paid" : "order.created",
            Status = statuses[i % statuses.Length],
            NextAttemptAt = null,
        }).ToArray();
        await EnqueueAsync(messages);
        MessageQuery[] queries =
        [
            new() { WebhookId = "wh-1" },
            new() { WebhookId = "wh-2", Status = MessageStatus.Created },
            new() { WebhookId = "wh-1", EventType = "order.paid" },
            new() { WebhookId = "wh-1", CreatedFrom = At(10), CreatedTo = At(20) },
            new() { WebhookId = "wh-1", Status = MessageStatus.Failed, EventType = "order.created", CreatedFrom = At(5) },
            new() { WebhookId = "wh-1", Offset = 5, Limit = 10 },
            new() { WebhookId = "wh-1", Status = MessageStatus.Success, Offset = 1, Limit = 2 },
            new() { WebhookId = "wh-1", CreatedTo = At(30), Offset = 0, Limit = 0 },
            new() { WebhookId = "wh-1", After = new MessageLogPosition(At(25), "m-25"), Limit = 5 },
            new() { WebhookId = "wh-1", Status = MessageStatus.Retrying, After = new MessageLogPosition(At(30), "m-30"), Offset = 1 },
            new() { WebhookId = "wh-1", CreatedFrom = At(10), After = new MessageLogPosition(At(20), "m-20x") },
        ];

        foreach (var query in queries)
        {
            var matching = messages.Where(query.Matches).OrderByDescending(message => message.CreatedAt).ToArray();
            var page = await ListMessagesAsync(query);
            Assert.That(
                (Ids(page.Items), page.Total),
                Is.EqualTo((Ids(matching.Skip(query.Offset).Take(query.Limit)), matching.Length)),
                query.ToString());
        }
    }

    private async Task<WebhookPage<DeliveryMessage>> ListMessagesAsync(MessageQuery query) =>
        await Store.ListMessagesAsync(query, None);
}
