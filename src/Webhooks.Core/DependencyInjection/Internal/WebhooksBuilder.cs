using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Core.Internal;

internal sealed class WebhooksBuilder(IServiceCollection services) : IWebhooksBuilder
{
    public IServiceCollection Services { get; } = services;
}
