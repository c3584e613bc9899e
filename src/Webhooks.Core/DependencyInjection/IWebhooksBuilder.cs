using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Core;

/// <summary>Configures Webhooks.Core after <c>AddWebhooks</c>.</summary>
public interface IWebhooksBuilder
{
    /// <summary>Gets the services being configured.</summary>
    IServiceCollection Services { get; }
}
