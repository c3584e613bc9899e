using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Webhooks.Core.Tests.Storage;

public sealed class InMemoryWebhookStoreRetentionTests
{
    private static readonly DateTimeOffset BaseTime = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(5);

    [Test]
    public async Task CompleteAsync_BeyondTheLimit_ForgetsTheMessagesThatFinishedFirst()
    {
        var store = new InMemoryWebhookStore(new InMemoryStoreOptions { MaxFinishedMessages = 100 });
        await EnqueueAsync(store, "wh-1", 0, 250);

        await FinishAllAsync(store, MessageStatus.Success);

        Assert.That(store.FinishedCount, Is.InRange(99, 100));
        Assert.That(await store.GetMessageAsync(Id(0), default), Is.Null);
        Assert.That(await store.GetMessageAsync(Id(149), default), Is.Null);
        Assert.That(await store.GetMessageAsync(Id(249), default), Is.Not.Null);
        var page = await store.ListMessagesAsync(new MessageQuery { WebhookId = "wh-1", Limit = 500 }, default);
        Assert.That(page.Total, Is.EqualTo(store.FinishedCount));
        Assert.That(page.Items.Select(m => m.Id), Is.EqualTo(Enumerable.Range(250 - page.Total, page.Total).Reverse().Select(Id)));
    }

    [Test]
    public async Task CompleteAsync_BeyondTheLimit_ForgetsTheFirstFinishedWhenMessagesShareTheirCreationTime()
    {
        // All created at once (one clock tick), finished newest id first: creation order and finishing order disagree.
        var store = new InMemoryWebhookStore(new InMemoryStoreOptions { MaxFinishedMessages = 100 });
        var messages = Enumerable.Range(0, 250)
            .Select(i => Message(Id(i), "wh-1", "evt-" + Id(i), BaseTime, dueAt: BaseTime.AddMilliseconds(-i)))
            .ToArray();
        await store.EnqueueAsync(messages, default);

        await FinishAllAsync(store, MessageStatus.Success);

        var page = await store.ListMessagesAsync(new MessageQuery { WebhookId = "wh-1", Limit = 500 }, default);
        Assert.Multiple(async () =>
        {
            Assert.That(store.FinishedCount, Is.InRange(99, 100));
            Assert.That(page.Total, Is.EqualTo(store.FinishedCount), "every message kept is listed, and none forgotten is");
            Assert.That(page.Items.Select(m => m.Id), Is.EqualTo(Enumerable.Range(0, page.Total).Reverse().Select(Id)), "the last to finish are kept");
            Assert.That(await store.GetMessageAsync(Id(249), default), Is.Null, "the first to finish is forgotten");
            Assert.That(await store.GetMessageAsync(Id(0), default), Is.Not.Null);
        });
    }

    [Test]
    public async Task CompleteAsync_BeyondTheLimit_KeepsEveryUnfinishedMessage()
    {
        var store = new InMemoryWebhookStore(new InMemoryStoreOptions { MaxFinishedMessages = 20 });
        await EnqueueAsync(store, "wh-waiting", 0, 50);
        await EnqueueAsync(store, "wh-busy", 1000, 300, dueAt: BaseTime.AddSeconds(-1));

        // Only the busy webhook's messages are due and finish; the waiting ones are due later.
        await FinishAllAsync(store, MessageStatus.Success, BaseTime.AddSeconds(-1));

        Assert.That(store.FinishedCount, Is.LessThanOrEqualTo(20));
        for (var i = 0; i < 50; i++)
        {
            Assert.That((await store.GetMessageAsync(Id(i), default))?.Status, Is.EqualTo(MessageStatus.Created), Id(i));
        }

        Assert.That(await store.ClaimDueAsync(BaseTime.AddHours(1), 100, LeaseDuration, default), Has.Count.EqualTo(50));
    }

    [Test]
    public async Task EnqueueAsync_EventOfAForgottenMessage_StoresItAgain()
    {
        var store = new InMemoryWebhookStore(new InMemoryStoreOptions { MaxFinishedMessages = 10 });
        await EnqueueAsync(store, "wh-1", 0, 30);
        await FinishAllAsync(store, MessageStatus.Success);

        var again = await store.EnqueueAsync([Message(Id(0) + "-again", "wh-1", "evt-" + Id(0), BaseTime.AddMinutes(1))], default);
        var kept = await store.EnqueueAsync([Message(Id(29) + "-again", "wh-1", "evt-" + Id(29), BaseTime.AddMinutes(1))], default);

        Assert.That(again, Is.EqualTo(new[] { Id(0) + "-again" }));
        Assert.That(kept, Is.Empty);
    }

    [Test]
    public async Task RequeueFailedAsync_FailedMessagesRequeued_NoLongerCountAsFinished()
    {
        var store = new InMemoryWebhookStore(new InMemoryStoreOptions { MaxFinishedMessages = 10 });
        await EnqueueAsync(store, "wh-1", 0, 10);
        await FinishAllAsync(store, MessageStatus.Failed);
        Assert.That(store.FinishedCount, Is.EqualTo(10));

        var requeued = await store.RequeueFailedAsync("wh-1", BaseTime.AddDays(-1), BaseTime, default);
        Assert.That(requeued, Is.EqualTo(10));
        Assert.That(store.FinishedCount, Is.Zero);

        // Finishing them again counts each once: all ten fit and none is forgotten.
        await FinishAllAsync(store, MessageStatus.Success);
        Assert.That(store.FinishedCount, Is.EqualTo(10));
        for (var i = 0; i < 10; i++)
        {
            Assert.That((await store.GetMessageAsync(Id(i), default))?.Status, Is.EqualTo(MessageStatus.Success), Id(i));
        }
    }

    [Test]
    public async Task PurgeAsync_PurgedMessages_FreeTheirPlaces()
    {
        var store = new InMemoryWebhookStore(new InMemoryStoreOptions { MaxFinishedMessages = 100 });
        await EnqueueAsync(store, "wh-1", 0, 60);
        await FinishAllAsync(store, MessageStatus.Success);

        Assert.That(await store.PurgeAsync(BaseTime.AddDays(1), default), Is.EqualTo(60));
        Assert.That(store.FinishedCount, Is.Zero);

        await EnqueueAsync(store, "wh-1", 100, 100);
        await FinishAllAsync(store, MessageStatus.Success);
        Assert.That(store.FinishedCount, Is.EqualTo(100));
        Assert.That(await store.GetMessageAsync(Id(100), default), Is.Not.Null);
    }

    [Test]
    public async Task DeleteConfigAsync_DeletedMessages_FreeTheirPlaces()
    {
        var store = new InMemoryWebhookStore(new InMemoryStoreOptions { MaxFinishedMessages = 50 });
        await store.AddConfigAsync(InMemoryWebhookStoreTests.Config("wh-gone", null), default);
        await EnqueueAsync(store, "wh-gone", 0, 40);
        await FinishAllAsync(store, MessageStatus.Success);

        await store.DeleteConfigAsync("wh-gone", default);
        await EnqueueAsync(store, "wh-1", 100, 50);
        await FinishAllAsync(store, MessageStatus.Success);

        Assert.That(store.FinishedCount, Is.EqualTo(50));
        Assert.That(await store.GetMessageAsync(Id(100), default), Is.Not.Null);
    }

    [Test]
    public void Constructor_LimitBelowOne_NamesTheOption()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new InMemoryWebhookStore(new InMemoryStoreOptions { MaxFinishedMessages = 0 }));

        Assert.That(error!.ParamName, Is.EqualTo("options.MaxFinishedMessages"));
    }

    [Test]
    public async Task UseInMemoryStore_Configured_BoundsTheStoreOfTheHost()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddWebhooks().UseInMemoryStore(o => o.MaxFinishedMessages = 5);
        await using var provider = services.BuildServiceProvider();
        var store = (InMemoryWebhookStore)provider.GetRequiredService<IWebhookStore>();

        await EnqueueAsync(store, "wh-1", 0, 20);
        await FinishAllAsync(store, MessageStatus.Success);

        Assert.That(store.FinishedCount, Is.InRange(1, 5));
    }

    [Test]
    public void AddWebhooks_InvalidStoreLimit_FailsOnStartNamingTheOption()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddWebhooks().UseInMemoryStore(o => o.MaxFinishedMessages = 0);
        using var host = builder.Build();

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain("MaxFinishedMessages"));
    }

    [Test]
    public async Task CompleteAsync_BeyondTheLimit_ForgetsTheEventsOfForgottenMessages()
    {
        var store = new InMemoryWebhookStore(new InMemoryStoreOptions { MaxFinishedMessages = 100 });
        await EnqueueAsync(store, "wh-1", 0, 250);
        await FinishAllAsync(store, MessageStatus.Success);

        // A forgotten message no longer answers for its event; a kept one still does, for every webhook.
        var forgotten = Message("again-0", "wh-2", "evt-" + Id(0), BaseTime.AddHours(2));
        var kept = Message("again-249", "wh-2", "evt-" + Id(249), BaseTime.AddHours(2));

        Assert.That(await store.EnqueueAsync([forgotten, kept], default), Is.EqualTo(new[] { "again-0" }));
    }

    private static async Task EnqueueAsync(InMemoryWebhookStore store, string webhookId, int first, int count, DateTimeOffset? dueAt = null)
    {
        var messages = Enumerable.Range(first, count)
            .Select(i => Message(Id(i), webhookId, "evt-" + Id(i), BaseTime.AddMilliseconds(i), dueAt ?? BaseTime.AddMilliseconds(i)))
            .ToArray();
        Assert.That(await store.EnqueueAsync(messages, default), Has.Count.EqualTo(count));
    }

    /// <summary>Claims every message due at <paramref name="now"/> and finishes it, oldest first, in batches of 25.</summary>
    private static async Task FinishAllAsync(InMemoryWebhookStore store, MessageStatus status, DateTimeOffset? now = null)
    {
        var at = now ?? BaseTime.AddHours(1);
        while (await store.ClaimDueAsync(at, 25, LeaseDuration, default) is { Count: > 0 } leases)
        {
            var outcomes = leases
                .Select(l => new MessageOutcome(l.LeaseId, l.Message with { Status = status, AttemptCount = l.Message.AttemptCount + 1, NextAttemptAt = null }, null))
                .ToArray();
            Assert.That(await store.CompleteAsync(outcomes, default), Is.EqualTo(leases.Count));
        }
    }

    private static string Id(int i) => $"msg-{i:D4}";

    private static DeliveryMessage Message(string id, string webhookId, string eventId, DateTimeOffset createdAt, DateTimeOffset? dueAt = null) => new()
    {
        Id = id,
        WebhookId = webhookId,
        EventId = eventId,
        EventType = "order.created",
        CreatedAt = createdAt,
        NextAttemptAt = dueAt ?? createdAt,
    };

    [Test]
    public async Task Purge_MessageCancelledDuringItsAttempt_WaitsForItsLease()
    {
        var store = new InMemoryWebhookStore(new InMemoryStoreOptions { MaxFinishedMessages = 10 });
        var at = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        await store.EnqueueAsync([new DeliveryMessage { Id = "msg-a", WebhookId = "wh-a", EventId = "evt-a", EventType = "t", CreatedAt = at, NextAttemptAt = at }], default);
        var lease = (await store.ClaimDueAsync(at, 1, TimeSpan.FromMinutes(5), default)).Single();
        await store.UpdateMessageAsync("msg-a", MessageLifecycle.Cancel, default);

        Assert.That(await store.PurgeAsync(at.AddDays(1), default), Is.Zero, "purged while its attempt may be under way");
        Assert.That(await store.CompleteAsync([new MessageOutcome(lease.LeaseId, lease.Message, null)], default), Is.EqualTo(1));
        Assert.That(await store.PurgeAsync(at.AddDays(1), default), Is.EqualTo(1), "purged once its lease is released");
        Assert.That((await store.GetMessageAsync("msg-a", default), store.FinishedCount), Is.EqualTo(((DeliveryMessage?)null, 0)));
        Assert.DoesNotThrowAsync(async () => await store.EnqueueAsync(
            [.. Enumerable.Range(0, 20).Select(i => new DeliveryMessage { Id = $"msg-b{i:D2}", WebhookId = "wh-b", EventId = $"evt-b{i}", EventType = "t", CreatedAt = at, Status = MessageStatus.Success })],
            default));
    }
}
