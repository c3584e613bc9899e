using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Webhooks.Core.Internal;

/// <summary>Registers the HTTP transport; called by <c>AddWebhooks</c>.</summary>
internal static class HttpTransportServiceCollectionExtensions
{
    /// <summary>
    /// Registers the named client <see cref="HttpDeliveryTransport.ClientName"/>'s handlers with the guarded one, and
    /// <see cref="HttpDeliveryTransport"/> as the <see cref="IDeliveryTransport"/> unless one is registered already.
    /// </summary>
    public static IServiceCollection AddWebhooksHttpTransport(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        // The transport sends through this client's handlers (it enforces HttpDeliveryOptions.Timeout per attempt itself,
        // and takes no settings of an HttpClient).
        var client = services.AddHttpClient(HttpDeliveryTransport.ClientName);
        LeaveOutHandlersForEveryClient(client);
        client.ConfigurePrimaryHttpMessageHandler(static services =>
            DeliveryHttpHandler.Create(services.GetRequiredService<IOptions<WebhooksOptions>>().Value.Http))

            // The handler recycles its own connections (PooledConnectionLifetime), so it can live as long as the host.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)

            // One log line per delivery at Information level is noise; the dispatcher logs what matters.
            .RemoveAllLoggers();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDeliveryTransport, HttpDeliveryTransport>();
        return services;
    }

    /// <summary>
    /// Handlers a host adds to every client (<c>ConfigureHttpClientDefaults</c>, such as a resilience handler's retries
    /// and circuit breaker) are not for deliveries: an attempt is one request, counted, timed and retried by the engine.
    /// The factory configures every client's defaults before any client's own configuration, and a client's own in the
    /// order it was registered: so the handlers are cleared first thing in this client's own configuration, and the
    /// handlers a host adds to it by name apply whether it added them before <c>AddWebhooks</c> or after.
    /// </summary>
    private static void LeaveOutHandlersForEveryClient(IHttpClientBuilder client)
    {
        var services = client.Services;
        var clear = ServiceDescriptor.Singleton<IConfigureOptions<HttpClientFactoryOptions>>(new ConfigureNamedOptions<HttpClientFactoryOptions>(
            HttpDeliveryTransport.ClientName,
            static options => options.HttpMessageHandlerBuilderActions.Add(static builder => builder.AdditionalHandlers.Clear())));
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i] is { ServiceType: var type, IsKeyedService: false } descriptor
                && type == typeof(IConfigureOptions<HttpClientFactoryOptions>)
                && descriptor.ImplementationInstance is ConfigureNamedOptions<HttpClientFactoryOptions> { Name: HttpDeliveryTransport.ClientName })
            {
                // The host configured the client before AddWebhooks: before its first configuration, and so after the
                // defaults, which the factory files before every client's own configuration wherever registered.
                services.Insert(i, clear);
                return;
            }
        }

        // None yet: through the client's collection, which files the defaults a host registers later before this.
        services.Add(clear);
    }
}
