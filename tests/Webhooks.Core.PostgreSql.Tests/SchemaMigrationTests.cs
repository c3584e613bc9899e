using Npgsql;
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
        Assert.That(tables, Is.EquivalentTo(new[] { "attempts", "configs", "events", "messages", "outbox", "schema_version" }));
        var versions = await PostgreSqlTestDatabase.ScalarAsync<int[]>($"SELECT array_agg(version ORDER BY version) FROM \"{Schema}\".schema_version");
        Assert.That(versions, Is.EqualTo(SchemaMigrations.All.Select(m => m.Version).ToArray()));
        Assert.That(await MessagesStorageOptionsAsync(), Does.Contain("autovacuum_vacuum_scale_factor=0.01").And.Contain("fillfactor=70"));
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
    public async Task MigrateAsync_Version2SchemaWithMessages_KeepsThemClaimableAndDropsTheLeaseIndex()
    {
        // A schema as version 2 left it, with a due message, one in flight and one whose lease lapsed.
        await CreateSchemaAtVersionAsync(2, $"""
            INSERT INTO "{Schema}".messages (id, webhook_id, event_id, event_type, payload, status, attempt_count, next_attempt_at, created_at, lease_id, lease_expires_at)
            VALUES ('due', 'wh-1', 'e1', 'order.created', '\x7b7d'::bytea, 0, 0, '2026-01-01T11:59:00Z', '2026-01-01T11:59:00Z', NULL, NULL),
                   ('in-flight', 'wh-1', 'e2', 'order.created', '\x7b7d'::bytea, 0, 0, '2026-01-01T11:58:00Z', '2026-01-01T11:58:00Z', gen_random_uuid(), '2026-01-01T12:01:00Z'),
                   ('lapsed', 'wh-1', 'e3', 'order.created', '\x7b7d'::bytea, 1, 1, '2026-01-01T11:57:00Z', '2026-01-01T11:50:00Z', gen_random_uuid(), '2026-01-01T11:59:30Z');
            """);
        var store = CreateStore();

        await store.MigrateAsync(Timeout);

        var indexes = await PostgreSqlTestDatabase.ScalarAsync<string[]>(
            "SELECT array_agg(indexname::text) FROM pg_indexes WHERE schemaname = $1 AND tablename = 'messages'", Schema);
        Assert.That(indexes, Does.Contain("messages_due_idx").And.Not.Contain("messages_leased_idx"));
        var dueIndex = await PostgreSqlTestDatabase.ScalarAsync<string>(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'messages_due_idx'", Schema);
        Assert.That(dueIndex, Does.Not.Contain("lease"));
        Assert.That(await MessagesStorageOptionsAsync(), Does.Contain("fillfactor=70"));
        var claimed = await store.ClaimDueAsync(Now, 10, TimeSpan.FromMinutes(1), Timeout);
        Assert.That(claimed.Select(l => l.Message.Id), Is.EqualTo(new[] { "lapsed", "due" }));
    }

    [Test]
    public async Task MigrateAsync_Version3SchemaWithMessages_KeepsTheirEventsIdempotentPerWebhook_AndNewOnesPerTenant()
    {
        // Migration 4 reads no message (a large schema would keep every instance waiting): events stored before it stay
        // idempotent per webhook, and events published after it are idempotent per tenant.
        await CreateSchemaAtVersionAsync(3, $"""
            INSERT INTO "{Schema}".messages (id, webhook_id, tenant_id, event_id, event_type, payload, status, attempt_count, next_attempt_at, created_at)
            VALUES ('before', 'wh-1', 'acme', 'e1', 'order.created', '\x7b7d'::bytea, 2, 1, NULL, '2026-01-01T11:00:00Z');
            """);
        var store = CreateStore();

        await store.MigrateAsync(Timeout);

        var stored = await store.EnqueueAsync(
            [Message("before-again", "wh-1", tenantId: "acme", eventId: "e1"), Message("after", "wh-1", tenantId: "acme", eventId: "e2")],
            Timeout);
        var again = await store.EnqueueAsync([Message("after-again", "wh-2", tenantId: "acme", eventId: "e2")], Timeout);
        Assert.That(stored, Is.EqualTo(new[] { "after" }));
        Assert.That(again, Is.Empty);
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
    public async Task MigrateAsync_AnotherInstanceMigratingLongerThanTheCommandTimeout_WaitsForItAndMigrates()
    {
        // Another instance holds the migration lock while a long script runs (an index rebuilt on a large table).
        await using var other = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync();
        await using var otherMigration = await other.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1, hashtext($2))", other, otherMigration))
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = 0x57484B53 });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Schema });
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(PostgreSqlTestDatabase.ConnectionString) { CommandTimeout = 1 };
        var store = CreateStore(o =>
        {
            o.DataSource = null;
            o.ConnectionString = builder.ConnectionString;
        });
        var migration = store.MigrateAsync(Timeout);

        // Until the store has waited for the lock for longer than its command timeout (or has given up).
        await WaitUntilAsync(
            async () => migration.IsCompleted || await PostgreSqlTestDatabase.ScalarAsync<bool>(
                "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%pg_advisory_xact_lock%' "
                + "AND pid <> pg_backend_pid() AND now() - query_start > interval '2 seconds')"),
            "the store waited for the lock for two seconds");
        await otherMigration.CommitAsync();

        Assert.That(async () => await migration, Throws.Nothing);
        Assert.That(await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".schema_version"), Is.EqualTo(SchemaMigrations.All.Count));
    }

    [Test]
    public async Task MigrateAsync_SchemaPreCreatedForRoleWithoutCreateOnDatabase_Migrates()
    {
        // A least-privilege set-up: the administrator creates the schema for the store's role, which may not create schemas.
        var role = "r_" + Schema;
        await PostgreSqlTestDatabase.ExecuteAsync($"CREATE ROLE \"{role}\" LOGIN PASSWORD 'pw'");
        try
        {
            await PostgreSqlTestDatabase.ExecuteAsync($"CREATE SCHEMA \"{Schema}\" AUTHORIZATION \"{role}\"");
            var builder = new NpgsqlConnectionStringBuilder(PostgreSqlTestDatabase.ConnectionString) { Username = role, Password = "pw", Pooling = false };
            var store = CreateStore(o =>
            {
                o.DataSource = null;
                o.ConnectionString = builder.ConnectionString;
            });

            Assert.That(async () => await store.MigrateAsync(Timeout), Throws.Nothing);
            await store.AddConfigAsync(TestData.Config("wh-1"), Timeout);
            Assert.That(await store.GetConfigAsync("wh-1", Timeout), Is.Not.Null);
        }
        finally
        {
            await PostgreSqlTestDatabase.DropSchemaAsync(Schema);
            await PostgreSqlTestDatabase.ExecuteAsync($"DROP OWNED BY \"{role}\"");
            await PostgreSqlTestDatabase.ExecuteAsync($"DROP ROLE \"{role}\"");
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

    /// <summary>Creates the schema as the scripts up to <paramref name="version"/> left it, then runs <paramref name="rows"/> in it.</summary>
    private async Task CreateSchemaAtVersionAsync(int version, string rows)
    {
        var scripts = string.Join('\n', SchemaMigrations.All.Where(m => m.Version <= version).Select(m => m.Script)).Replace("{schema}", $"\"{Schema}\"", StringComparison.Ordinal);
        var versions = string.Join(", ", Enumerable.Range(1, version).Select(v => $"({v}, 'v{v}')"));
        await PostgreSqlTestDatabase.ExecuteAsync($"""
            CREATE SCHEMA "{Schema}";
            CREATE TABLE "{Schema}".schema_version (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
            INSERT INTO "{Schema}".schema_version (version, description) VALUES {versions};
            {scripts}
            {rows}
            """);
    }

    private static DeliveryMessage Message(string id, string webhookId, string? tenantId, string eventId) => new()
    {
        Id = id, WebhookId = webhookId, TenantId = tenantId, EventId = eventId, EventType = "order.created", Payload = "{}"u8.ToArray(),
        Status = MessageStatus.Created, CreatedAt = Now, NextAttemptAt = Now,
    };
    [TestCase(56)]
    [TestCase(57)]
    [TestCase(63)]
    public void DefaultChannel_AnySchemaNameLength_IsAnIdentifierOfItsOwn(int length)
    {
        var schema = "s" + new string('x', length - 1);
        var store = () => new PostgreSqlWebhookStore(new PostgreSqlStoreOptions { ConnectionString = "Host=127.0.0.1;Database=unused", SchemaName = schema });

        Assert.DoesNotThrow(() => store().DisposeAsync().AsTask().GetAwaiter().GetResult());
        var (channel, neighbour) = (PostgreSqlWebhookStore.DefaultChannel(schema), PostgreSqlWebhookStore.DefaultChannel(schema[..^1] + "y"));
        Assert.Multiple(() =>
        {
            Assert.That(channel, Has.Length.LessThanOrEqualTo(63).And.EndsWith("_notify"));
            Assert.That(channel, Is.Not.EqualTo(neighbour), "schemas that differ only at the end");
        });
    }
}
