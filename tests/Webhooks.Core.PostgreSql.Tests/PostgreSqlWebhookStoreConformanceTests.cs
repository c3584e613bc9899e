using Npgsql;
using Webhooks.Core.Testing;

namespace Webhooks.Core.PostgreSql.Tests;

/// <summary>Runs the store conformance suite against PostgreSQL, each test in a schema of its own.</summary>
[TestFixture]
public sealed class PostgreSqlWebhookStoreConformanceTests : WebhookStoreConformanceTests
{
    private readonly Dictionary<IWebhookStore, (string Schema, NpgsqlDataSource DataSource)> _resources = [];

    protected override async Task<IWebhookStore> CreateStoreAsync()
    {
        var schema = PostgreSqlTestDatabase.NewSchemaName();
        var dataSource = NpgsqlDataSource.Create(PostgreSqlTestDatabase.ConnectionString);
        var store = new PostgreSqlWebhookStore(new PostgreSqlStoreOptions { DataSource = dataSource, SchemaName = schema });
        _resources[store] = (schema, dataSource);
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    protected override async Task DisposeStoreAsync(IWebhookStore store)
    {
        await base.DisposeStoreAsync(store);
        if (_resources.Remove(store, out var resources))
        {
            await resources.DataSource.DisposeAsync();
            await PostgreSqlTestDatabase.DropSchemaAsync(resources.Schema);
        }
    }
}
