using Npgsql;

namespace Webhooks.Core.LoadTest;

internal static class StoreChoice
{
    private const string PostgresSchema = "webhooks_loadtest";

    public static void Apply(IWebhooksBuilder webhooks, LoadTestSettings settings)
    {
        if (settings.Store == "memory")
        {
            webhooks.UseInMemoryStore();
            return;
        }

        var connectionString = settings.ConnectionString
            ?? throw new ArgumentException("--store postgres needs --connection or WEBHOOKS_POSTGRES (a connection string).");

        // Every run starts from an empty schema, created by the store itself.
        using (var dataSource = NpgsqlDataSource.Create(connectionString))
        using (var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {PostgresSchema} CASCADE"))
        {
            drop.ExecuteNonQuery();
        }

        webhooks.UsePostgreSql(connectionString, o => o.SchemaName = PostgresSchema);
    }
}
