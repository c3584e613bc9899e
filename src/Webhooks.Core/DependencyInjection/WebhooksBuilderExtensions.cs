using Microsoft.Extensions.DependencyInjection.Extensions;
using Webhooks.Core;
using Webhooks.Core.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the parts Webhooks.Core runs with.</summary>
/// <remarks>
/// Each method that chooses a part (<see cref="UseInMemoryStore(IWebhooksBuilder)"/>, <see cref="AddStore{TStore}"/>,
/// <see cref="AddTransport{TTransport}"/>, <see cref="AddSigner{TSigner}"/>) removes every registration of that service
/// made before it, the host's own included, and adds its own: of several such calls the last one wins. A registration
/// the host makes after the call wins over it, as registrations made last do.
/// </remarks>
public static class WebhooksBuilderExtensions
{
    /// <summary>
    /// Uses the embedded in-memory store (the default): fast, for one process, lost on restart. Replaces every
    /// <see cref="IWebhookStore"/> registered before.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IWebhooksBuilder UseInMemoryStore(this IWebhooksBuilder builder) => builder.UseInMemoryStore(static _ => { });

    /// <summary>
    /// Uses the embedded in-memory store (the default): fast, for one process, lost on restart. Replaces every
    /// <see cref="IWebhookStore"/> registered before.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the store, for example how many finished messages it keeps.</param>
    /// <returns>The builder.</returns>
    public static IWebhooksBuilder UseInMemoryStore(this IWebhooksBuilder builder, Action<InMemoryStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        ReplaceAll(builder.Services, ServiceDescriptor.Singleton<IWebhookStore>(InMemoryStoreRegistration.Create));
        return builder;
    }

    /// <summary>Uses <typeparamref name="TStore"/> as the store, replacing every <see cref="IWebhookStore"/> registered before.</summary>
    /// <typeparam name="TStore">The store type, registered as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IWebhooksBuilder AddStore<TStore>(this IWebhooksBuilder builder)
        where TStore : class, IWebhookStore
        => Replace<IWebhookStore, TStore>(builder);

    /// <summary>
    /// Uses <typeparamref name="TTransport"/> to send requests, replacing the HTTP transport and every other
    /// <see cref="IDeliveryTransport"/> registered before.
    /// </summary>
    /// <typeparam name="TTransport">The transport type, registered as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IWebhooksBuilder AddTransport<TTransport>(this IWebhooksBuilder builder)
        where TTransport : class, IDeliveryTransport
        => Replace<IDeliveryTransport, TTransport>(builder);

    /// <summary>
    /// Uses <typeparamref name="TSigner"/> to sign deliveries, replacing Standard Webhooks signing and every other
    /// <see cref="IWebhookSigner"/> registered before.
    /// </summary>
    /// <typeparam name="TSigner">The signer type, registered as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IWebhooksBuilder AddSigner<TSigner>(this IWebhooksBuilder builder)
        where TSigner : class, IWebhookSigner
        => Replace<IWebhookSigner, TSigner>(builder);

    /// <summary>Adds a handler of the library's operational notifications (webhook disabled, message failed, …) as a singleton.</summary>
    /// <remarks>
    /// The handler is made once and lives as long as the host, so it may depend only on singletons: a host that validates
    /// scopes (ASP.NET Core's Development environment) refuses to build with one that depends on a scoped service. A
    /// handler that needs scoped services (a <c>DbContext</c>) is registered as scoped instead,
    /// <c>services.AddScoped&lt;IWebhookNotificationHandler, THandler&gt;()</c>: the handlers of each notification are
    /// resolved in a scope of their own.
    /// </remarks>
    /// <typeparam name="THandler">The handler type, registered as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IWebhooksBuilder AddNotificationHandler<THandler>(this IWebhooksBuilder builder)
        where THandler : class, IWebhookNotificationHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookNotificationHandler, THandler>());
        return builder;
    }

    private static IWebhooksBuilder Replace<TService, TImplementation>(IWebhooksBuilder builder)
        where TService : class
        where TImplementation : class, TService
    {
        ArgumentNullException.ThrowIfNull(builder);
        ReplaceAll(builder.Services, ServiceDescriptor.Singleton<TService, TImplementation>());
        return builder;
    }

    // Replace() removes only the first registration: one the host added after AddWebhooks stayed, and was resolved by
    // whoever asked for all of them.
    private static void ReplaceAll(IServiceCollection services, ServiceDescriptor descriptor)
    {
        services.RemoveAll(descriptor.ServiceType);
        services.Add(descriptor);
    }
}
