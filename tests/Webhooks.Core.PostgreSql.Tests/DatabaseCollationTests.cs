using Npgsql;

namespace Webhooks.Core.PostgreSql.Tests;

/// <summary>
/// The store on a database whose default collation is a language's (as most production databases have, en_US.UTF-8 and
/// the like), not <c>C</c> as the test server's: ties by id come in the in-memory store's order, ordinal, all the same.
/// </summary>
public sealed class DatabaseCollationTests : PostgreSqlTestBase
{
    // Ordinally '1' < 'B' < '_' < 'a'; in English '_' < '1' < 'a' < 'B'.
    private static readonly string[] Suffixes = ["a", "B", "_", "1"];

    private string _database = string.Empty;
    private NpgsqlDataSource? _dataSource;

    [OneTimeSetUp]
    public async Task CreateDatabase()
    {
        _database = "t_icu_" + Guid.NewGuid().ToString("N")[..16];
        await PostgreSqlTestDatabase.ExecuteAsync(
            $"CREATE DATABASE \"{_database}\" TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'");
        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(PostgreSqlTestDatabase.ConnectionString) { Database = _database }.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task DropDatabase()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        if (_database.Length > 0)
        {
            await PostgreSqlTestDatabase.ExecuteAsync($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
        }
    }

    [Test]
    public async Task ListConfigsAsync_SameCreationTime_ByIdOrdinallyAsInMemory()
    {
        var (store, memory) = (CreateStore(o => o.DataSource = _dataSource), new InMemoryWebhookStore());
        foreach (var config in Suffixes.Select(s => TestData.Config("wh-" + s)))
        {
            await store.AddConfigAsync(config, Timeout);
            await memory.AddConfigAsync(config, Timeout);
        }

        var query = new WebhookConfigQuery { TenantId = "tenant-1" };
        var listed = (await store.ListConfigsAsync(query, Timeout)).Items.Select(c => c.Id);

        Assert.That(listed, Is.EqualTo((await memory.ListConfigsAsync(query, Timeout)).Items.Select(c => c.Id)).And.EqualTo(new[] { "wh-1", "wh-B", "wh-_", "wh-a" }));
    }

    [Test]
    public async Task ListAwaitingVerificationAsync_SameUpdateTime_ByIdOrdinallyAsInMemory()
    {
        var (store, memory) = (CreateStore(o => o.DataSource = _dataSource), new InMemoryWebhookStore());
        foreach (var config in Suffixes.Select(s => TestData.Config("wh-" + s) with { Status = WebhookStatus.Pending }))
        {
            await store.AddConfigAsync(config, Timeout);
            await memory.AddConfigAsync(config, Timeout);
        }

        var before = TestData.Config("any").UpdatedAt.AddSeconds(1);
        var awaiting = (await store.ListAwaitingVerificationAsync(before, 10, Timeout)).Select(c => c.Id);

        Assert.That(awaiting, Is.EqualTo((await memory.ListAwaitingVerificationAsync(before, 10, Timeout)).Select(c => c.Id)).And.EqualTo(new[] { "wh-1", "wh-B", "wh-_", "wh-a" }));
    }

    [Test]
    public async Task ListMessagesAsync_SameCreationTime_ByIdOrdinallyAsInMemory()
    {
        var (store, memory) = (CreateStore(o => o.DataSource = _dataSource), new InMemoryWebhookStore());
        DeliveryMessage[] messages = [.. Suffixes.Select(s => TestData.Message("msg_" + s, "wh-1", Now, Now))];
        await store.EnqueueAsync(messages, Timeout);
        await memory.EnqueueAsync(messages, Timeout);

        var query = new MessageQuery { WebhookId = "wh-1" };
        var listed = (await store.ListMessagesAsync(query, Timeout)).Items.Select(m => m.Id);

        Assert.That(listed, Is.EqualTo((await memory.ListMessagesAsync(query, Timeout)).Items.Select(m => m.Id)).And.EqualTo(new[] { "msg_a", "msg__", "msg_B", "msg_1" }));
    }
}
