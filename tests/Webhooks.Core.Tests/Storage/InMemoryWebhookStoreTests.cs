using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace Webhooks.Core.Tests.Storage;

[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class InMemoryWebhookStoreTests
{
    private static readonly DateTimeOffset BaseTime = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(5);

    private readonly InMemoryWebhookStore _store = new();

    [Test]
    public async Task GetTenantConfigsAsync_Unchanged_ReturnsTheSameList()
    {
        await _store.AddConfigAsync(Config("wh-1", "tenant-a"), default);

        var first = await _store.GetTenantConfigsAsync("tenant-a", default);
        var second = await _store.GetTenantConfigsAsync("tenant-a", default);

        Assert.That(second, Is.SameAs(first));
    }

    [Test]
    public async Task GetTenantConfigsAsync_OtherTenantChanged_KeepsTheList()
    {
        await _store.AddConfigAsync(Config("wh-1", "tenant-a"), default);
        var before = await _store.GetTenantConfigsAsync("tenant-a", default);

        await _store.AddConfigAsync(Config("wh-2", "tenant-b"), default);
        await _store.DeleteConfigAsync("wh-2", default);

        Assert.That(await _store.GetTenantConfigsAsync("tenant-a", default), Is.SameAs(before));
    }

    [Test]
    public async Task GetTenantConfigsAsync_AfterUpdate_EarlierListUnchanged()
    {
        await _store.AddConfigAsync(Config("wh-1", "tenant-a"), default);
        var before = await _store.GetTenantConfigsAsync("tenant-a", default);

        await _store.UpdateConfigAsync(Config("wh-1", "tenant-a") with { Name = "Renamed" }, 1, default);

        Assert.That(before.Single().Name, Is.EqualTo("Webhook wh-1"));
        Assert.That((await _store.GetTenantConfigsAsync("tenant-a", default)).Single().Name, Is.EqualTo("Renamed"));
    }

    [Test]
    public async Task UpdateConfigAsync_AnotherTenant_IsRefusedAndRoutingKeepsTheConfigInItsTenant()
    {
        await _store.AddConfigAsync(Config("wh-1", "tenant-a"), default);

        Assert.ThrowsAsync<WebhookConcurrencyException>(async () => await _store.UpdateConfigAsync(Config("wh-1", "tenant-b"), 1, default));

        Assert.That((await _store.GetTenantConfigsAsync("tenant-a", default)).Select(c => c.Id), Is.EqualTo(new[] { "wh-1" }));
        Assert.That(await _store.GetTenantConfigsAsync("tenant-b", default), Is.Empty);
    }

    [Test]
    public async Task ClaimDueAsync_ManyFutureMessages_ClaimsOnlyTheDueOnesInOrder()
    {
        const int futureCount = 200_000;
        var future = Enumerable.Range(0, futureCount).Select(i => Message($"f-{i:D6}", "wh-1", dueAt: 3600 + (i * 7919 % futureCount)));
        await _store.EnqueueAsync(future.ToArray(), default);
        await _store.EnqueueAsync(Enumerable.Range(0, 100).Select(i => Message($"d-{i:D3}", "wh-1", dueAt: 99 - i)).ToArray(), default);

        var due = await _store.ClaimDueAsync(At(100), 1000, TimeSpan.FromDays(1), default);
        var nothingMore = await _store.ClaimDueAsync(At(3599), 1000, LeaseDuration, default);
        var firstFuture = await _store.ClaimDueAsync(At(3604), 1000, LeaseDuration, default);

        Assert.That(due.Select(l => l.Message.NextAttemptAt), Is.EqualTo(Enumerable.Range(0, 100).Select(s => (DateTimeOffset?)At(s))));
        Assert.That(nothingMore, Is.Empty);
        Assert.That(firstFuture.Select(l => l.Message.NextAttemptAt), Is.EqualTo(Enumerable.Range(3600, 5).Select(s => (DateTimeOffset?)At(s))));
    }

    [Test]
    public async Task ClaimDueAsync_MessageBeyondTheLookAhead_ClaimedWhenDue()
    {
        await _store.ClaimDueAsync(At(0), 10, LeaseDuration, default);
        await _store.EnqueueAsync([Message("m-far", "wh-1", dueAt: 600), Message("m-near", "wh-1", dueAt: 30)], default);

        var early = await _store.ClaimDueAsync(At(599), 10, LeaseDuration, default);
        var onTime = await _store.ClaimDueAsync(At(600), 10, LeaseDuration, default);

        Assert.That(early.Select(l => l.Message.Id), Is.EqualTo(new[] { "m-near" }));
        Assert.That(onTime.Select(l => l.Message.Id), Is.EqualTo(new[] { "m-far" }));
    }

    [Test]
    public async Task ClaimDueAsync_EarlierNowThanBefore_ClaimsByTheGivenTime()
    {
        await _store.ClaimDueAsync(At(10_000), 10, LeaseDuration, default);
        await _store.EnqueueAsync([Message("m-1", "wh-1", dueAt: 500)], default);

        Assert.That(await _store.ClaimDueAsync(At(499), 10, LeaseDuration, default), Is.Empty);
        Assert.That(await _store.ClaimDueAsync(At(500), 10, LeaseDuration, default), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task CompleteAsync_OutcomeWithOtherPayloadAndIdentity_KeepsTheStoredOnes()
    {
        var payload = Encoding.UTF8.GetBytes("""{"type":"order.created"}""");
        await _store.EnqueueAsync([Message("m-1", "wh-1") with { Payload = payload }, Message("m-2", "wh-2") with { Payload = payload }], default);
        var lease = (await _store.ClaimDueAsync(At(0), 1, LeaseDuration, default))[0];
        var outcome = lease.Message with { WebhookId = "wh-2", Payload = payload.ToArray(), Status = MessageStatus.Success, AttemptCount = 1, NextAttemptAt = null };

        await _store.CompleteAsync([new MessageOutcome(lease.LeaseId, outcome, null)], default);

        var stored = await _store.GetMessageAsync("m-1", default);
        Assert.That(MemoryMarshal.TryGetArray(stored!.Payload, out var segment) && ReferenceEquals(segment.Array, payload), Is.True, "the enqueued bytes");
        Assert.That((stored.WebhookId, stored.Status, stored.AttemptCount), Is.EqualTo(("wh-1", MessageStatus.Success, 1)));
        Assert.That((await _store.ListMessagesAsync(new MessageQuery { WebhookId = "wh-1", Status = MessageStatus.Success }, default)).Total, Is.EqualTo(1));
    }

    [Test]
    public async Task EnqueueAsync_IdTakenByAnotherEvent_ThrowsConflictAndStoresNothing()
    {
        await _store.EnqueueAsync([Message("m-1", "wh-1")], default);

        Assert.ThrowsAsync<WebhookConflictException>(async () =>
            await _store.EnqueueAsync([Message("m-2", "wh-1"), Message("m-1", "wh-1") with { EventId = "evt-other" }], default));

        Assert.That(await _store.GetMessageAsync("m-2", default), Is.Null);
        Assert.That((await _store.ListMessagesAsync(new MessageQuery { WebhookId = "wh-1" }, default)).Total, Is.EqualTo(1));
        Assert.That((await _store.ClaimDueAsync(At(0), 10, LeaseDuration, default)).Select(l => l.Message.Id), Is.EqualTo(new[] { "m-1" }));
        Assert.That(await _store.EnqueueAsync([Message("m-2", "wh-1")], default), Is.EqualTo(new[] { "m-2" }), "the event is not taken");
        Assert.That(await _store.EnqueueAsync([Message("m-3", "wh-1") with { EventId = "evt-other" }], default), Is.EqualTo(new[] { "m-3" }), "the conflicting message's event is not taken");
    }

    [Test]
    public async Task UpdateMessageAsync_MessageChangedMeanwhile_RunsTheChangeAgainOnTheNewMessage()
    {
        await _store.EnqueueAsync([Message("m-1", "wh-1", dueAt: 10)], default);
        var seen = new List<DateTimeOffset?>();

        var result = await _store.UpdateMessageAsync("m-1", message =>
        {
            seen.Add(message.NextAttemptAt);
            if (seen.Count == 1)
            {
                // Another caller changes the message between this read and the write.
                _ = _store.UpdateMessageAsync("m-1", m => m with { NextAttemptAt = At(20) }, default).AsTask().Result;
            }

            return message with { StatusReason = "Seen at " + message.NextAttemptAt?.ToUnixTimeSeconds() };
        }, default);

        Assert.That(seen, Is.EqualTo(new DateTimeOffset?[] { At(10), At(20) }));
        Assert.That((result?.NextAttemptAt, result?.StatusReason), Is.EqualTo(((DateTimeOffset?)At(20), "Seen at " + At(20).ToUnixTimeSeconds())));
    }

    [Test]
    public void AddConfigAsync_PublishRoutedToItWhileItWaitsForTheMessageLock_KeepsTheMessage()
    {
        // The test holds the message lock, as a busy enqueue or claim does, while the config is added on another thread.
        var messageLock = PrivateLock("_messageLock");
        var config = Config("wh-new", "tenant-a");
        var adding = new Thread(() => _store.AddConfigAsync(config, default).AsTask().Wait());
        bool routed;
        using (messageLock.EnterScope())
        {
            adding.Start();
            Assert.That(
                SpinWait.SpinUntil(() => RoutesTo(config.Id) || adding.ThreadState.HasFlag(ThreadState.WaitSleepJoin), TimeSpan.FromSeconds(30)),
                Is.True,
                "the add should reach the message lock or publish the config");

            // A publisher that routes now to the config it sees stores a message for it.
            routed = RoutesTo(config.Id);
            if (routed)
            {
                _ = _store.EnqueueAsync([Message("m-1", config.Id)], default).AsTask().Result;
            }
        }

        adding.Join();
        if (!routed)
        {
            _ = _store.EnqueueAsync([Message("m-1", config.Id)], default).AsTask().Result;
        }

        Assert.That(_store.GetMessageAsync("m-1", default).AsTask().Result, Is.Not.Null, routed ? "routed to before the add returned" : "routed to after the add");

        bool RoutesTo(string id) => _store.GetTenantConfigsAsync("tenant-a", default).Result.Any(c => c.Id == id);
    }

    [Test]
    public void DeleteConfigAsync_ConfigAddedAgainBeforeTheDeleteReturns_KeepsTheNewConfigsMessages()
    {
        _store.AddConfigAsync(Config("wh-1", "tenant-a"), default).AsTask().Wait();
        _ = _store.EnqueueAsync([Message("m-old", "wh-1")], default).AsTask().Result;

        // The test holds the message lock, as a busy enqueue or claim does, while the config is deleted on another thread.
        var messageLock = PrivateLock("_messageLock");
        var configLock = PrivateLock("_configLock");
        var deleting = new Thread(() => _store.DeleteConfigAsync("wh-1", default).AsTask().Wait());
        bool addedMeanwhile;
        using (messageLock.EnterScope())
        {
            deleting.Start();
            Assert.That(SpinWait.SpinUntil(() => deleting.ThreadState.HasFlag(ThreadState.WaitSleepJoin), TimeSpan.FromSeconds(30)), Is.True, "the delete should wait for the message lock");

            // While the delete waits, the config is added again (the id taken anew) and an event is published to it, if
            // the config lock lets an add through now.
            addedMeanwhile = configLock.TryEnter();
            if (addedMeanwhile)
            {
                try
                {
                    _store.AddConfigAsync(Config("wh-1", "tenant-a"), default).AsTask().Wait();
                    _ = _store.EnqueueAsync([Message("m-new", "wh-1")], default).AsTask().Result;
                }
                finally
                {
                    configLock.Exit();
                }
            }
        }

        deleting.Join();
        if (!addedMeanwhile)
        {
            _store.AddConfigAsync(Config("wh-1", "tenant-a"), default).AsTask().Wait();
            _ = _store.EnqueueAsync([Message("m-new", "wh-1")], default).AsTask().Result;
        }

        Assert.That(_store.GetConfigAsync("wh-1", default).AsTask().Result, Is.Not.Null, "the config added again");
        Assert.That(_store.GetMessageAsync("m-old", default).AsTask().Result, Is.Null, "deleted with the first config");
        Assert.That(_store.GetMessageAsync("m-new", default).AsTask().Result, Is.Not.Null, addedMeanwhile ? "published to the config added while the delete waited" : "published to the config added after the delete");
    }

    private static DateTimeOffset At(int seconds) => BaseTime.AddSeconds(seconds);

    /// <summary>One of the store's locks, for a test to hold as a concurrent caller would.</summary>
    private Lock PrivateLock(string field) =>
        (Lock)typeof(InMemoryWebhookStore).GetField(field, BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(_store)!;

    internal static WebhookConfig Config(string id, string? tenantId) => new()
    {
        Id = id,
        TenantId = tenantId,
        Name = "Webhook " + id,
        Url = "https://receiver.example/" + id,
        Status = WebhookStatus.Active,
        CreatedAt = BaseTime,
        Generation = 1,
    };

    private static DeliveryMessage Message(string id, string webhookId, int dueAt = 0) => new()
    {
        Id = id,
        WebhookId = webhookId,
        EventId = "evt-" + id,
        EventType = "order.created",
        CreatedAt = BaseTime,
        NextAttemptAt = At(dueAt),
    };
}
