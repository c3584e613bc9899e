using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Webhooks.Core.Internal;

/// <summary>Builds the in-memory store from its options in the container.</summary>
internal static class InMemoryStoreRegistration
{
    public static InMemoryWebhookStore Create(IServiceProvider services) =>
        new(services.GetRequiredService<IOptions<InMemoryStoreOptions>>().Value);
}
