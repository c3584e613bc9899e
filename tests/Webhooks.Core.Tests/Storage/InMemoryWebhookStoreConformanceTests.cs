using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Storage;

public sealed class InMemoryWebhookStoreConformanceTests : WebhookStoreConformanceTests
{
    protected override Task<IWebhookStore> CreateStoreAsync() => Task.FromResult<IWebhookStore>(new InMemoryWebhookStore());
}
