using System.Transactions;
using Npgsql;

namespace Webhooks.Core.PostgreSql.Tests;

/// <summary>
/// A host whose work runs in a <see cref="TransactionScope"/>, with a data source that enlists (Npgsql's default): the
/// store's own connections stay out of the scope where joining it would lose or refuse work, and one built from a
/// connection string never joins it.
/// </summary>
public sealed class AmbientTransactionTests : PostgreSqlTestBase
{
    [Test]
    public async Task Outbox_FirstPublishInAScope_CommitsWithTheScope()
    {
        var outbox = new PostgreSqlWebhookOutbox(CreateStore());

        using (var scope = new TransactionScope(TransactionScopeAsyncFlowOption.Enabled))
        {
            await using var connection = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync();
            await outbox.PublishAsync(WebhookEvent.FromJson("evt-1", "order.created", "{}"), connection, null);
            scope.Complete();
        }

        Assert.That(await OutboxRowsAsync(), Is.EqualTo(1));
    }

    /// <summary>
    /// The usual case in production: another instance migrated the schema, and a new process's first publish, with the
    /// host's own write, is in a scope. The version check on a second connection escalated the scope to a prepared
    /// transaction, which PostgreSQL refused, and the host's write was lost with the event.
    /// </summary>
    [Test]
    public async Task Outbox_FirstPublishOfANewInstanceInAScope_WithTheHostsWrite_CommitsBoth()
    {
        await CreateStore().MigrateAsync(Timeout);
        var outbox = new PostgreSqlWebhookOutbox(CreateStore());
        await PostgreSqlTestDatabase.ExecuteAsync($"CREATE TABLE \"{Schema}\".orders (id int)");

        using (var scope = new TransactionScope(TransactionScopeAsyncFlowOption.Enabled))
        {
            await using var connection = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync();
            await using (var order = new NpgsqlCommand($"INSERT INTO \"{Schema}\".orders VALUES (1)", connection))
            {
                await order.ExecuteNonQueryAsync();
            }

            await outbox.PublishAsync(WebhookEvent.FromJson("evt-1", "order.created", "{}"), connection, null);
            scope.Complete();
        }

        Assert.That(await OutboxRowsAsync(), Is.EqualTo(1));
        Assert.That(await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".orders"), Is.EqualTo(1));
    }

    /// <summary>
    /// Caller A enqueues in a scope that then rolls back; caller B, with no transaction, enqueues while A's insert is
    /// under way, so B's messages go in the next shared insert. That insert ran in A's context, joined A's scope, and
    /// went with its rollback after B had been told its message was stored.
    /// </summary>
    [Test]
    public async Task EnqueueAsync_SharedInsertLedByACallerInAScopeThatRollsBack_KeepsTheOtherCallersMessages()
    {
        var application = "ambient_" + Guid.NewGuid().ToString("N")[..8];
        await using var dataSource = NpgsqlDataSource.Create(
            new NpgsqlConnectionStringBuilder(PostgreSqlTestDatabase.ConnectionString) { ApplicationName = application }.ConnectionString);
        var store = CreateStore(o => o.DataSource = dataSource);
        await store.MigrateAsync(Timeout);

        // Holds A's insert until B has queued behind it: someone else's uncommitted publish of A's event.
        await using var blocker = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync();
        await using var blocking = await blocker.BeginTransactionAsync();
        await using (var block = new NpgsqlCommand($"INSERT INTO \"{Schema}\".events (tenant_key, event_id, created_at) VALUES ('ttenant-1', 'evt-a', now())", blocker, blocking))
        {
            await block.ExecuteNonQueryAsync();
        }

        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = EnqueueInAScopeThatRollsBackAsync(store, TestData.Message("a", "wh-1", Now, Now, "evt-a"), release.Task);
        await WaitUntilAsync(
            async () => await PostgreSqlTestDatabase.ScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", application) == 1,
            "A's insert waits");

        // Queued behind A's insert as the call returns (the schema is migrated: nothing is awaited before).
        var b = store.EnqueueAsync([TestData.Message("b", "wh-1", Now, Now, "evt-b")], Timeout).AsTask();
        await blocking.RollbackAsync();
        var storedB = await b.WaitAsync(TimeSpan.FromSeconds(10));
        release.SetResult();
        await a.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(storedB, Is.EqualTo(new[] { "b" }), "B was told its message is stored");
        Assert.That(await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".messages WHERE id = 'b'"), Is.EqualTo(1),
            "B had no transaction: A's rollback does not take B's message with it");
    }

    /// <summary>The config cache starts the listener on first use, here inside a scope that rolls back and took the LISTEN with it.</summary>
    [Test]
    public async Task Listener_FirstStartedInAScopeThatRollsBack_StillHearsNotifications()
    {
        var store = CreateStore();
        await store.MigrateAsync(Timeout);
        using (new TransactionScope(TransactionScopeAsyncFlowOption.Enabled))
        {
            await store.GetTenantConfigsAsync("tenant-1", Timeout);
            await store.WaitUntilListeningAsync(Timeout);
        }

        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = store.Subscribe(() => woken.TrySetResult());
        await PostgreSqlTestDatabase.ExecuteAsync("SELECT pg_notify($1, 'd')", store.Channel);

        Assert.That(async () => await woken.Task.WaitAsync(TimeSpan.FromSeconds(10)), Throws.Nothing, "a due notification wakes the subscriber");
    }

    /// <summary>
    /// A store built from a connection string never joins a scope: a config read in the host's scope, beside the host's
    /// own write, would have escalated it to a prepared transaction at commit.
    /// </summary>
    [Test]
    public async Task StoreFromAConnectionString_ReadInAScopeBesideTheHostsWrite_TheScopeCommits()
    {
        var store = CreateStore(o => { o.DataSource = null; o.ConnectionString = PostgreSqlTestDatabase.ConnectionString; });
        await store.MigrateAsync(Timeout);
        await PostgreSqlTestDatabase.ExecuteAsync($"CREATE TABLE \"{Schema}\".orders (id int)");

        using (var scope = new TransactionScope(TransactionScopeAsyncFlowOption.Enabled))
        {
            await using var connection = await PostgreSqlTestDatabase.DataSource.OpenConnectionAsync();
            await using (var order = new NpgsqlCommand($"INSERT INTO \"{Schema}\".orders VALUES (1)", connection))
            {
                await order.ExecuteNonQueryAsync();
            }

            Assert.That(await store.GetConfigAsync("wh-1", Timeout), Is.Null);
            scope.Complete();
        }

        Assert.That(await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".orders"), Is.EqualTo(1));
    }

    private static async Task EnqueueInAScopeThatRollsBackAsync(PostgreSqlWebhookStore store, DeliveryMessage message, Task release)
    {
        using var scope = new TransactionScope(TransactionScopeAsyncFlowOption.Enabled);
        await store.EnqueueAsync([message], Timeout);
        await release;

        // Not completed: the host's work failed and its scope rolls back.
    }

    private Task<long> OutboxRowsAsync() => PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".outbox");
}
