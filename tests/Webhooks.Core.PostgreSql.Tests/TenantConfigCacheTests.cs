namespace Webhooks.Core.PostgreSql.Tests;

public sealed class TenantConfigCacheTests : PostgreSqlTestBase
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
}
