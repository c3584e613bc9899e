using Webhooks.Core.PostgreSql.Internal;

namespace Webhooks.Core.PostgreSql.Tests;

public sealed class SchemaMigrationTests : PostgreSqlTestBase
{
    [Test]
    public async Task MigrateAsync_FreshSchema_CreatesTablesAndRecordsEachVersion()
    {
        var store = CreateStore();

        await store.MigrateAsync(Timeout);

        var tables = await PostgreSqlTestDatabase.ScalarAsync<string[]>(
            "SELECT array_agg(table_name::text ORDER BY table_name) FROM information_schema.tables WHERE table_schema = $1", Schema);
        Assert.That(tables, Is.EquivalentTo(new[] { "attempts", "configs", "messages", "outbox", "schema_version" }));
        var versions = await PostgreSqlTestDatabase.ScalarAsync<int[]>($"SELECT array_agg(version ORDER BY version) FROM \"{Schema}\".schema_version");
        Assert.That(versions, Is.EqualTo(SchemaMigrations.All.Select(m => m.Version).ToArray()));
        Assert.That(await MessagesStorageOptionsAsync(), Does.Contain("autovacuum_vacuum_scale_factor=0.01"));
    }

    [Test]
    public async Task MigrateAsync_SchemaAtAnOlderVersion_AppliesOnlyTheNewerScripts()
    {
        await CreateStore().MigrateAsync(Timeout);
        await PostgreSqlTestDatabase.ExecuteAsync($"DELETE FROM \"{Schema}\".schema_version WHERE version > 1");
        await PostgreSqlTestDatabase.ExecuteAsync($"ALTER TABLE \"{Schema}\".messages RESET (autovacuum_vacuum_scale_factor)");

        await CreateStore().MigrateAsync(Timeout);

        var versions = await PostgreSqlTestDatabase.ScalarAsync<int[]>($"SELECT array_agg(version ORDER BY version) FROM \"{Schema}\".schema_version");
        Assert.That(versions, Is.EqualTo(SchemaMigrations.All.Select(m => m.Version).ToArray()));
        Assert.That(await MessagesStorageOptionsAsync(), Does.Contain("autovacuum_vacuum_scale_factor=0.01"));
    }

    [Test]
    public async Task MigrateAsync_AlreadyMigrated_ChangesNothing()
    {
        await CreateStore().MigrateAsync(Timeout);
        var appliedAt = await PostgreSqlTestDatabase.ScalarAsync<DateTime>($"SELECT max(applied_at) FROM \"{Schema}\".schema_version");

        await CreateStore().MigrateAsync(Timeout);
        await CreateStore().MigrateAsync(Timeout);

        Assert.That(await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".schema_version"), Is.EqualTo(SchemaMigrations.All.Count));
        Assert.That(await PostgreSqlTestDatabase.ScalarAsync<DateTime>($"SELECT max(applied_at) FROM \"{Schema}\".schema_version"), Is.EqualTo(appliedAt));
    }

    [Test]
    public async Task MigrateAsync_FourInstancesAtOnce_AppliesEachScriptOnce()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => CreateStore()).ToArray();
        using var start = new ManualResetEventSlim();

        var migrations = stores.Select(store => Task.Run(async () =>
        {
            start.Wait();
            await store.MigrateAsync(Timeout);
        })).ToArray();
        start.Set();
        await Task.WhenAll(migrations);

        Assert.That(await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".schema_version"), Is.EqualTo(SchemaMigrations.All.Count));
        foreach (var store in stores)
        {
            Assert.That(await store.GetConfigAsync("missing", Timeout), Is.Null);
        }
    }

    [Test]
    public async Task AnyOperation_BeforeMigrate_MigratesFirst()
    {
        var store = CreateStore();

        await store.AddConfigAsync(TestData.Config("wh-1"), Timeout);

        Assert.That(await store.GetConfigAsync("wh-1", Timeout), Is.Not.Null);
    }

    [Test]
    public async Task AnyOperation_AutoMigrateOff_DoesNotCreateSchema()
    {
        var store = CreateStore(o => o.AutoMigrate = false);

        Assert.That(async () => await store.GetConfigAsync("wh-1", Timeout), Throws.InstanceOf<Npgsql.PostgresException>());
        Assert.That(await PostgreSqlTestDatabase.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = $1", Schema), Is.Zero);
    }

    [TestCase("")]
    [TestCase("1abc")]
    [TestCase("web-hooks")]
    [TestCase("x\"; DROP TABLE y; --")]
    public void Constructor_SchemaNameNotAPlainIdentifier_Throws(string schemaName)
    {
        Assert.That(
            () => new PostgreSqlWebhookStore(new PostgreSqlStoreOptions { ConnectionString = PostgreSqlTestDatabase.ConnectionString, SchemaName = schemaName }),
            Throws.ArgumentException.With.Message.Contains("SchemaName"));
    }

    [Test]
    public void Constructor_NoConnection_Throws()
    {
        Assert.That(() => new PostgreSqlWebhookStore(new PostgreSqlStoreOptions()), Throws.ArgumentException.With.Message.Contains("ConnectionString"));
    }

    private Task<string[]> MessagesStorageOptionsAsync() =>
        PostgreSqlTestDatabase.ScalarAsync<string[]>("SELECT reloptions FROM pg_class WHERE oid = to_regclass($1)", $"\"{Schema}\".messages");
}
