using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.AddHttpClient(HttpDeliveryTransport.ClientName)
            .ConfigurePrimaryHttpMessageHandler(static services =>
                DeliveryHttpHandler.Create(services.GetRequiredService<IOptions<WebhooksOptions>>().Value.Http))

            // The handler recycles its own connections (PooledConnectionLifetime), so it can live as long as the host.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)

            // Handlers a host adds to every client (ConfigureHttpClientDefaults, such as a resilience handler's retries
            // and circuit breaker) are not for deliveries: an attempt is one request, counted, timed and retried by the
            // engine. Handlers added to this client by name after AddWebhooks still apply.
            .ConfigureAdditionalHttpMessageHandlers(static (handlers, _) => handlers.Clear())

            // One log line per delivery at Information level is noise; the dispatcher logs what matters.
            .RemoveAllLoggers();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDeliveryTransport, HttpDeliveryTransport>();
        return services;
    }
}
