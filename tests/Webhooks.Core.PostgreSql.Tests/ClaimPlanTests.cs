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

        var plan = new List<string>();
        await using (var command = PostgreSqlTestDatabase.DataSource.CreateCommand("EXPLAIN " + store.ClaimSql))
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter<DateTimeOffset> { TypedValue = Now });
            command.Parameters.Add(new Npgsql.NpgsqlParameter<DateTimeOffset> { TypedValue = Now.AddMinutes(1) });
            command.Parameters.Add(new Npgsql.NpgsqlParameter<int> { TypedValue = 200 });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        var text = string.Join('\n', plan);
        await TestContext.Out.WriteLineAsync(text);
        Assert.That(text, Does.Contain("messages_due_idx"));
        Assert.That(text, Does.Not.Contain("Seq Scan"));
        Assert.That((await store.ClaimDueAsync(Now, 500, TimeSpan.FromMinutes(1), Timeout)).Count, Is.EqualTo(100));
    }
}
