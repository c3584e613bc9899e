namespace Webhooks.Core.LoadTest;

internal static class StoreChoice
{
    public static void Apply(IWebhooksBuilder webhooks, LoadTestSettings settings)
    {
        if (settings.Store == "memory")
        {
            webhooks.UseInMemoryStore();
            return;
        }

        var connectionString = settings.ConnectionString
            ?? throw new ArgumentException("--store postgres needs --connection or WEBHOOKS_POSTGRES (eng/test.sh and eng/postgres.sh start a server).");
        webhooks.UsePostgreSql(connectionString, o => o.SchemaName = "loadtest_" + Environment.ProcessId);
    }
}
