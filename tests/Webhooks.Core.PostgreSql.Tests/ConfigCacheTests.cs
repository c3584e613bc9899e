using Webhooks.Core.PostgreSql.Internal;

namespace Webhooks.Core.PostgreSql.Tests;

public sealed class ConfigCacheTests : PostgreSqlTestBase
{
    [Test]
    public async Task GetTenantConfigsAsync_WhileListening_ServedFromMemory()
    {
        var store = CreateStore();
        await store.AddConfigAsync(TestData.Config("wh-1"), Timeout);
        await store.WaitUntilListeningAsync(Timeout);
        await store.GetTenantConfigsAsync("tenant-1", Timeout);

        // A change behind the store's back (no notification) is not seen until the cache ages out.
        await PostgreSqlTestDatabase.ExecuteAsync($"UPDATE \"{Schema}\".configs SET status = 4");
        var cached = await store.GetTenantConfigsAsync("tenant-1", Timeout);
        Time.Advance(TimeSpan.FromSeconds(5));
        var aged = await store.GetTenantConfigsAsync("tenant-1", Timeout);

        Assert.That(cached.Single().Status, Is.EqualTo(WebhookStatus.Active));
        Assert.That(aged.Single().Status, Is.EqualTo(WebhookStatus.Disabled));
    }

    [Test]
    public async Task GetTenantConfigsAsync_ChangedOnAnotherInstance_InvalidatedByNotification()
    {
        var a = CreateStore();
        var b = CreateStore();
        await a.AddConfigAsync(TestData.Config("wh-1"), Timeout);
        await b.WaitUntilListeningAsync(Timeout);
        Assert.That((await b.GetTenantConfigsAsync("tenant-1", Timeout)).Single().Name, Is.EqualTo("Orders wh-1"));

        await a.UpdateConfigAsync(TestData.Config("wh-1") with { Name = "renamed" }, 1, Timeout);
        await WaitUntilAsync(
            async () => (await b.GetTenantConfigsAsync("tenant-1", Timeout)).Single().Name == "renamed",
            "instance B sees the rename without its cache ageing out");

        await a.AddConfigAsync(TestData.Config("wh-2"), Timeout);
        await WaitUntilAsync(async () => (await b.GetTenantConfigsAsync("tenant-1", Timeout)).Count == 2, "instance B sees the new config");

        await a.DeleteConfigAsync("wh-1", Timeout);
        await WaitUntilAsync(async () => (await b.GetTenantConfigsAsync("tenant-1", Timeout)).Count == 1, "instance B sees the deletion");
    }

    [Test]
    public async Task GetTenantConfigsAsync_TenantIdOfMaxIdLength_ChangedOnAnotherInstance_InvalidatedByNotification()
    {
        var tenantId = TestData.WideId(PostgreSqlWebhookStore.MaxIdLength, 1);
        var id = TestData.WideId(PostgreSqlWebhookStore.MaxIdLength, 2);
        var a = CreateStore();
        var b = CreateStore();
        await b.WaitUntilListeningAsync(Timeout);
        Assert.That(await b.GetTenantConfigsAsync(tenantId, Timeout), Is.Empty);

        await a.AddConfigAsync(TestData.Config(id, tenantId), Timeout);
        await WaitUntilAsync(async () => (await b.GetTenantConfigsAsync(tenantId, Timeout)).Count == 1, "instance B sees the new config");

        await a.UpdateConfigAsync(TestData.Config(id, tenantId) with { Name = "renamed" }, 1, Timeout);
        await WaitUntilAsync(
            async () => (await b.GetTenantConfigsAsync(tenantId, Timeout)).Single().Name == "renamed", "instance B sees the rename");

        await a.DeleteConfigAsync(id, Timeout);
        await WaitUntilAsync(async () => (await b.GetTenantConfigsAsync(tenantId, Timeout)).Count == 0, "instance B sees the deletion");
    }

    [Test]
    public async Task GetTenantConfigsAsync_ChangedOnSameInstance_SeenAtOnce()
    {
        var store = CreateStore();
        await store.AddConfigAsync(TestData.Config("wh-1"), Timeout);
        await store.WaitUntilListeningAsync(Timeout);
        await store.GetTenantConfigsAsync("tenant-1", Timeout);

        await store.UpdateConfigAsync(TestData.Config("wh-1") with { Name = "renamed" }, 1, Timeout);

        Assert.That((await store.GetTenantConfigsAsync("tenant-1", Timeout)).Single().Name, Is.EqualTo("renamed"));
    }

    [Test]
    public async Task GetTenantConfigsAsync_CacheDisabled_AlwaysReads()
    {
        var store = CreateStore(o => o.ConfigCacheMaxAge = TimeSpan.Zero);
        await store.AddConfigAsync(TestData.Config("wh-1"), Timeout);
        await store.GetTenantConfigsAsync("tenant-1", Timeout);

        await PostgreSqlTestDatabase.ExecuteAsync($"UPDATE \"{Schema}\".configs SET status = 4");

        Assert.That((await store.GetTenantConfigsAsync("tenant-1", Timeout)).Single().Status, Is.EqualTo(WebhookStatus.Disabled));
    }

    [Test]
    public async Task GetConfigAsync_ChangedOnAnotherInstance_InvalidatedByNotification()
    {
        var a = CreateStore();
        var b = CreateStore();
        await a.AddConfigAsync(TestData.Config("wh-1"), Timeout);
        await b.WaitUntilListeningAsync(Timeout);
        await b.GetConfigAsync("wh-1", Timeout);
        await PostgreSqlTestDatabase.ExecuteAsync($"UPDATE \"{Schema}\".configs SET status = 4");
        Assert.That((await b.GetConfigAsync("wh-1", Timeout))!.Status, Is.EqualTo(WebhookStatus.Active), "served from memory");

        await a.UpdateConfigAsync(TestData.Config("wh-1") with { Name = "renamed" }, 1, Timeout);

        await WaitUntilAsync(async () => (await b.GetConfigAsync("wh-1", Timeout))!.Name == "renamed", "instance B reads the rename");
        await a.DeleteConfigAsync("wh-1", Timeout);
        await WaitUntilAsync(async () => await b.GetConfigAsync("wh-1", Timeout) is null, "instance B sees the deletion");
    }

    // A write refused as the stored version moved on (an update, or a DELETE with If-Match): the caller reads the
    // webhook again for its current version, and must not get this instance's old copy back, or its next try is refused too.
    [TestCase(false, TestName = "UpdateConfigAsync_StaleCachedRead_ConflictThenFreshRead")]
    [TestCase(true, TestName = "DeleteConfigAsync_StaleCachedRead_ConflictThenFreshRead")]
    public async Task RefusedWrite_StaleCachedRead_ConflictThenFreshRead(bool delete)
    {
        var a = CreateStore();
        var b = CreateStore(o => o.NotificationChannel = Schema + "_deaf");
        await a.AddConfigAsync(TestData.Config("wh-1"), Timeout);
        await b.WaitUntilListeningAsync(Timeout);
        var stale = await b.GetConfigAsync("wh-1", Timeout);
        await a.UpdateConfigAsync(TestData.Config("wh-1") with { Name = "by A" }, 1, Timeout);

        // B listens on another channel, so only its refused write tells it that its copy is old.
        Assert.That(
            async () =>
            {
                if (delete)
                {
                    await b.DeleteConfigAsync("wh-1", stale!.Generation, Timeout);
                }
                else
                {
                    await b.UpdateConfigAsync(stale! with { Name = "by B" }, stale!.Generation, Timeout);
                }
            },
            Throws.TypeOf<WebhookConcurrencyException>());
        var fresh = await b.GetConfigAsync("wh-1", Timeout);

        Assert.That(fresh!.Generation, Is.EqualTo(2));
        Assert.That(fresh.Name, Is.EqualTo("by A"));
    }

    [TestCase("c4:wh-1", "wh-1", null)]
    [TestCase("c4:wh-1:tenant-1", "wh-1", "tenant-1")]
    [TestCase("c6:wh:1:2:t:x", "wh:1:2", "t:x")]
    [TestCase("c3:a😀b:t", "a😀b", "t")]
    public void ConfigPayload_RoundTrips(string payload, string id, string? tenantId)
    {
        Assert.That(NotificationSink.ConfigPayload(id, tenantId), Is.EqualTo(payload));
        Assert.That(NotificationSink.TryReadConfigPayload(payload, out var readId, out var readTenant), Is.True);
        Assert.That((readId, readTenant), Is.EqualTo((id, tenantId)));
    }

    [TestCase("c")]
    [TestCase("cx:abc")]
    [TestCase("c9:short")]
    [TestCase("c2:abXt")]
    public void TryReadConfigPayload_Malformed_ReturnsFalse(string payload)
    {
        Assert.That(NotificationSink.TryReadConfigPayload(payload, out _, out _), Is.False);
    }

    [Test]
    public void ConfigPayload_TooLongForPgNotify_IsAnyConfig()
    {
        Assert.That(NotificationSink.ConfigPayload("wh-1", new string('€', 2400)), Is.EqualTo(NotificationSink.AnyConfig));
        Assert.That(NotificationSink.ConfigPayload("wh-1", new string('€', 2300)), Does.StartWith("c4:wh-1:"));
    }

    [Test]
    public async Task ConfigPayloadSql_TooLongForPgNotify_IsAnyConfig()
    {
        var sql = $"SELECT {NotificationSink.ConfigPayloadSql("$1::text", "$2::text")}";

        Assert.That(await PostgreSqlTestDatabase.ScalarAsync<string>(sql, "wh-1", new string('€', 2400)), Is.EqualTo(NotificationSink.AnyConfig));
        Assert.That(
            await PostgreSqlTestDatabase.ScalarAsync<string>(sql, "a😀b", "t"),
            Is.EqualTo(NotificationSink.ConfigPayload("a😀b", "t")),
            "the same payload as built in .NET");
    }
}
