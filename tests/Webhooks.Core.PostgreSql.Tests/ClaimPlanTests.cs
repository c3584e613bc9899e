namespace Webhooks.Core.PostgreSql.Tests;

public sealed class ClaimPlanTests : PostgreSqlTestBase
{
    [Test]
    public async Task ClaimSql_With100000FinishedRowsAndLeasedAndFutureOnes_ScansTheDueIndex()
    {
        var store = CreateStore();
        await store.MigrateAsync(Timeout);
        await PostgreSqlTestDatabase.ExecuteAsync($"""
            INSERT INTO "{Schema}".messages (id, webhook_id, event_id, event_type, payload, status, attempt_count, next_attempt_at, created_at)
            SELECT 'done-' || i, 'wh-' || (i % 50), 'evt-' || i, 'order.created', '\x7b7d'::bytea, 2, 1, $1 - interval '1 hour', $1
            FROM generate_series(1, 100000) AS i;
            INSERT INTO "{Schema}".messages (id, webhook_id, event_id, event_type, payload, status, attempt_count, next_attempt_at, created_at)
            SELECT 'future-' || i, 'wh-' || (i % 50), 'evt-f' || i, 'order.created', '\x7b7d'::bytea, 1, 1, $1 + interval '1 day', $1
            FROM generate_series(1, 10000) AS i;
            INSERT INTO "{Schema}".messages (id, webhook_id, event_id, event_type, payload, status, attempt_count, next_attempt_at, created_at)
            SELECT 'due-' || i, 'wh-' || (i % 50), 'evt-d' || i, 'order.created', '\x7b7d'::bytea, 0, 0, $1, $1
            FROM generate_series(1, 100) AS i;
            INSERT INTO "{Schema}".messages (id, webhook_id, event_id, event_type, payload, status, attempt_count, next_attempt_at, created_at, lease_id, lease_expires_at)
            SELECT 'leased-' || i, 'wh-' || (i % 50), 'evt-l' || i, 'order.created', '\x7b7d'::bytea, 0, 0, $1 - interval '1 minute', $1, gen_random_uuid(), $1 + interval '1 minute'
            FROM generate_series(1, 5000) AS i;
            ANALYZE "{Schema}".messages;
            """.Replace("$1", "'2026-01-01T12:00:00Z'::timestamptz", StringComparison.Ordinal));

        var text = await ExplainAsync(
            store.ClaimSql,
            new Npgsql.NpgsqlParameter<DateTimeOffset> { TypedValue = Now },
            new Npgsql.NpgsqlParameter<DateTimeOffset> { TypedValue = Now.AddMinutes(1) },
            new Npgsql.NpgsqlParameter<int> { TypedValue = 200 });
        Assert.That(text, Does.Contain("messages_due_idx"));
        Assert.That(text, Does.Not.Contain("Seq Scan"));
        Assert.That((await store.ClaimDueAsync(Now, 500, TimeSpan.FromMinutes(1), Timeout)).Count, Is.EqualTo(100));
    }

    [Test]
    public async Task EventsPurgeSql_With200000UnfinishedMessages_LooksEachEventUpByTheMessageKey()
    {
        var store = CreateStore();
        await store.MigrateAsync(Timeout);
        await PostgreSqlTestDatabase.ExecuteAsync($"""
            INSERT INTO "{Schema}".messages (id, webhook_id, tenant_id, event_id, event_type, payload, status, attempt_count, next_attempt_at, created_at)
            SELECT 'held-' || i, 'wh-' || (i % 50), 'tenant-' || (i % 7), 'evt-h' || i, 'order.created', '\x7b7d'::bytea, 1, 3, NULL, $1
            FROM generate_series(1, 200000) AS i;
            INSERT INTO "{Schema}".events (tenant_key, event_id, created_at)
            SELECT 'ttenant-' || (i % 7), 'evt-h' || i, $1 FROM generate_series(1, 200000) AS i;
            INSERT INTO "{Schema}".events (tenant_key, event_id, created_at)
            SELECT '', 'evt-gone' || i, $1 FROM generate_series(1, 10000) AS i;
            ANALYZE "{Schema}".messages;
            ANALYZE "{Schema}".events;
            """.Replace("$1", "'2025-12-01T12:00:00Z'::timestamptz", StringComparison.Ordinal));

        var text = await ExplainAsync(
            store.EventsPurgeSql,
            new Npgsql.NpgsqlParameter<DateTimeOffset> { TypedValue = Now },
            new Npgsql.NpgsqlParameter<int> { TypedValue = 5000 });
        Assert.That(text, Does.Contain("messages_event_webhook_key"));
        Assert.That(text, Does.Not.Contain("Seq Scan on messages"));
        Assert.That(await store.PurgeAsync(Now, Timeout), Is.Zero, "no message was finished");
        Assert.That(await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".events"), Is.EqualTo(200000), "the events of stored messages stay; the others go");
    }

    /// <summary>The plan PostgreSQL makes for <paramref name="sql"/>, printed to the test's output.</summary>
    private static async Task<string> ExplainAsync(string sql, params Npgsql.NpgsqlParameter[] parameters)
    {
        var plan = new List<string>();
        await using (var command = PostgreSqlTestDatabase.DataSource.CreateCommand("EXPLAIN " + sql))
        {
            command.Parameters.AddRange(parameters);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        var text = string.Join('\n', plan);
        await TestContext.Out.WriteLineAsync(text);
        return text;
    }
}
