using NSubstitute;
using Webhooks.Core.Internal;

namespace Webhooks.Core.Tests.Engine;

[TestFixture]
public sealed class DeliveryLogTests
{
    [Test]
    public async Task GetAsync_WhileAttemptsComplete_MessageAndItsAttemptsAgree()
    {
        var store = new InMemoryWebhookStore();
        var log = new DeliveryLog(store, new DispatchSignal(), TimeProvider.System);
        var now = EngineHost.Start;
        await store.EnqueueAsync(
            [new DeliveryMessage { Id = "msg_1", WebhookId = "wh_1", EventId = "evt_1", EventType = "t", Payload = "{}"u8.ToArray(), NextAttemptAt = now, CreatedAt = now }],
            CancellationToken.None);

        // One thread completes attempt after attempt while this one reads the message's detail, yielding between reads
        // so that it cannot starve the writer of the store's lock.
        var writer = Task.Run(async () =>
        {
            for (var n = 1; n <= 20_000; n++)
            {
                var lease = (await store.ClaimDueAsync(now, 1, TimeSpan.FromMinutes(1), CancellationToken.None)).Single();
                var attempt = new DeliveryAttempt { Number = n, Timestamp = now, Url = "https://receiver.example", StatusCode = 500, Duration = TimeSpan.Zero };
                var next = lease.Message with { Status = MessageStatus.Retrying, AttemptCount = n, LastAttempt = attempt, NextAttemptAt = now };
                await store.CompleteAsync([new MessageOutcome(lease.LeaseId, next, attempt)], CancellationToken.None);
            }
        });

        var (reads, torn) = (0, new List<string>());
        while (!writer.IsCompleted)
        {
            await Task.Yield();
            var detail = (await log.GetAsync("wh_1", "msg_1"))!;
            reads++;
            if (detail.Message.AttemptCount != detail.Attempts.Count || !Equals(detail.Message.LastAttempt, detail.Attempts.LastOrDefault()))
            {
                torn.Add($"AttemptCount {detail.Message.AttemptCount}, {detail.Attempts.Count} attempts listed");
            }
        }

        await writer;
        Assert.That(torn, Is.Empty, $"{torn.Count} of {reads} reads disagreed");
    }

    // Webhook ids are global and may be chosen: tenant A deletes wh_1 while an event is published to it, and tenant B
    // creates a wh_1 before the publish stores its message. That message of A's was listed, read, retried and cancelled
    // in B's log, with its payload, until retention forgot it.
    [Test]
    public async Task MessageOfAnotherTenantLeftUnderTheWebhooksId_IsNotInItsLog()
    {
        var store = new InMemoryWebhookStore();
        var log = new DeliveryLog(store, new DispatchSignal(), TimeProvider.System);
        var now = EngineHost.Start;
        await store.AddConfigAsync(Storage.InMemoryWebhookStoreTests.Config("wh_1", "tenant-b"), CancellationToken.None);
        var ours = new DeliveryMessage { Id = "msg_b", WebhookId = "wh_1", TenantId = "tenant-b", EventId = "evt_b", EventType = "t", Payload = "{}"u8.ToArray(), NextAttemptAt = now, CreatedAt = now };
        var leftover = ours with { Id = "msg_a", TenantId = "tenant-a", EventId = "evt_a", Payload = """{"secret":1}"""u8.ToArray(), CreatedAt = now.AddTicks(1) };
        await store.EnqueueAsync([ours, leftover], CancellationToken.None);

        var page = await log.ListAsync(new MessageQuery { WebhookId = "wh_1" });

        Assert.Multiple(() =>
        {
            Assert.That(page.Items.Select(m => m.Id), Is.EqualTo(new[] { "msg_b" }), "listed");
            Assert.That(page.Total, Is.EqualTo(1), "counted");
        });
        Assert.That(await log.GetAsync("wh_1", "msg_a"), Is.Null, "read");
        Assert.That(() => log.CancelAsync("wh_1", "msg_a"), Throws.TypeOf<WebhookNotFoundException>(), "cancelled");
        Assert.That((await store.GetMessageAsync("msg_a", CancellationToken.None))!.Status, Is.EqualTo(MessageStatus.Created), "left as it was");
        Assert.That(await log.GetAsync("wh_1", "msg_b"), Is.Not.Null, "the webhook's own message is read");
    }

    [Test]
    public async Task ListAsync_AfterAPosition_ThroughAStoreThatIgnoresIt_FailsRatherThanListingFromTheNewestAgain()
    {
        var newest = new DeliveryMessage { Id = "msg_2", WebhookId = "wh_1", EventId = "evt_2", EventType = "t", Payload = "{}"u8.ToArray(), CreatedAt = EngineHost.Start };
        var store = Substitute.For<IWebhookStore>();
        store.ListMessagesAsync(Arg.Any<MessageQuery>(), Arg.Any<CancellationToken>()).Returns(new WebhookPage<DeliveryMessage>([newest], 1, 0, 50));
        var log = new DeliveryLog(store, new DispatchSignal(), TimeProvider.System);

        var firstPage = await log.ListAsync(new MessageQuery { WebhookId = "wh_1" });

        Assert.That(firstPage.Items, Is.EqualTo(new[] { newest }));
        Assert.That(
            () => log.ListAsync(new MessageQuery { WebhookId = "wh_1", After = MessageLogPosition.Of(newest) }),
            Throws.InvalidOperationException.With.Message.Contains("does not implement positions in the log"));
    }

    // PostgreSQL's COLLATE "C" orders ids by code point: U+FF3A comes below U+1F600 there, above its UTF-16 surrogates
    // ordinally. Its page after "msg_\U0001F600" is right for its order, and a 500 to the API's client.
    [Test]
    public async Task ListAsync_AfterAPosition_StoreOrdersTiesByCodePoint_ReturnsItsPage()
    {
        var position = new MessageLogPosition(EngineHost.Start, "msg_\U0001F600");
        var tie = new DeliveryMessage { Id = "msg_\uFF3A", WebhookId = "wh_1", EventId = "evt_1", EventType = "t", Payload = "{}"u8.ToArray(), CreatedAt = EngineHost.Start };
        var older = tie with { Id = "msg_1", CreatedAt = EngineHost.Start.AddTicks(-10) };
        var store = Substitute.For<IWebhookStore>();
        store.ListMessagesAsync(Arg.Any<MessageQuery>(), Arg.Any<CancellationToken>()).Returns(new WebhookPage<DeliveryMessage>([tie, older], 2, 0, 50));
        var log = new DeliveryLog(store, new DispatchSignal(), TimeProvider.System);

        var page = await log.ListAsync(new MessageQuery { WebhookId = "wh_1", After = position });

        Assert.That(page.Items, Is.EqualTo(new[] { tie, older }));
    }
}
