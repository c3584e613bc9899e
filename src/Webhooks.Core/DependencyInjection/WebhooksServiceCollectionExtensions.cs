using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Webhooks.Core;
using Webhooks.Core.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Webhooks.Core in a service collection.</summary>
public static class WebhooksServiceCollectionExtensions
{
    /// <summary>
    /// Adds Webhooks.Core: the publisher, the management services, the background dispatcher, the in-memory store
    /// and the HTTP transport. Registrations made by the host before or after win (<c>TryAdd</c>); calling it twice is safe.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options; they are validated when the host starts.</param>
    /// <returns>A builder to choose the store, transport and signer.</returns>
    public static IWebhooksBuilder AddWebhooks(this IServiceCollection services, Action<WebhooksOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<WebhooksOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // A second call only adds its configuration.
        if (services.Any(static d => d.ServiceType == typeof(WebhooksMarker)))
        {
            return new WebhooksBuilder(services);
        }

        services.AddSingleton<WebhooksMarker>();
        options.ValidateOnStart();

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhooksOptions>, WebhooksOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhooksOptions>, WebhooksOptionsCrossFieldValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<InMemoryStoreOptions>()
            .Validate(static o => o.MaxFinishedMessages >= 1, "InMemoryStoreOptions.MaxFinishedMessages must be at least 1.")
            .ValidateOnStart();
        services.TryAddSingleton<IWebhookStore>(InMemoryStoreRegistration.Create);
        services.TryAddSingleton<IWebhookSigner, StandardWebhooksSigner>();
        services.AddWebhooksHttpTransport();

        services.TryAddSingleton<WebhooksTelemetry>();
        services.TryAddSingleton<DispatchSignal>();
        services.TryAddSingleton<NotificationDispatcher>();
        services.TryAddSingleton<FilterCache>();
        services.TryAddSingleton<VerificationRunner>();
        services.TryAddSingleton<WebhookStateChanges>();
        services.TryAddSingleton<DeliveryAttempter>();
        services.TryAddSingleton<IWebhookPublisher, WebhookPublisher>();
        services.TryAddSingleton<IWebhookEndpoints, WebhookEndpoints>();
        services.TryAddSingleton<IDeliveryLog, DeliveryLog>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, NotificationDrain>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WebhookDispatcher>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, VerificationWorker>());

        return new WebhooksBuilder(services);
    }
}
