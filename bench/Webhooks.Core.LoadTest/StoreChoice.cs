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

        throw new ArgumentException("--store postgres arrives with the Webhooks.Core.PostgreSql package.");
    }
}
