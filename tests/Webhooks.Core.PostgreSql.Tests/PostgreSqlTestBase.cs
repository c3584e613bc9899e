using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Webhooks.Core.PostgreSql.Tests;

/// <summary>Gives each test its own schema, dropped afterwards, and store instances over it, disposed afterwards.</summary>
public abstract class PostgreSqlTestBase
{
    protected static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly List<PostgreSqlWebhookStore> _stores = [];
    private readonly List<NpgsqlDataSource> _dataSources = [];

    protected string Schema { get; private set; } = string.Empty;

    protected FakeTimeProvider Time { get; private set; } = new(Now);

    protected static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [SetUp]
    public void CreateSchemaName()
    {
        _ = PostgreSqlTestDatabase.ConnectionString;
        Schema = PostgreSqlTestDatabase.NewSchemaName();
        Time = new FakeTimeProvider(Now);
    }

    [TearDown]
    public async Task DropSchema()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }

        _stores.Clear();
        _dataSources.Clear();
        if (Schema.Length > 0)
        {
            await PostgreSqlTestDatabase.DropSchemaAsync(Schema);
        }
    }

    /// <summary>Creates a store over the test's schema with its own data source, as a separate host instance would.</summary>
    protected PostgreSqlWebhookStore CreateStore(Action<PostgreSqlStoreOptions>? configure = null)
    {
        var dataSource = NpgsqlDataSource.Create(PostgreSqlTestDatabase.ConnectionString);
        _dataSources.Add(dataSource);
        var options = new PostgreSqlStoreOptions { DataSource = dataSource, SchemaName = Schema, ListenerReconnectDelay = TimeSpan.FromMilliseconds(50) };
        configure?.Invoke(options);
        var store = new PostgreSqlWebhookStore(options, Time);
        _stores.Add(store);
        return store;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing after a deadline.</summary>
    protected static async Task WaitUntilAsync(Func<Task<bool>> condition, string because)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {because}.");
            }

            await Task.Yield();
            await Task.Delay(10);
        }
    }
}
