using Microsoft.Extensions.DependencyInjection.Extensions;
using Webhooks.Core;
using Webhooks.Core.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the parts Webhooks.Core runs with.</summary>
public static class WebhooksBuilderExtensions
{
    /// <summary>Uses the embedded in-memory store (the default): fast, for one process, lost on restart.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IWebhooksBuilder UseInMemoryStore(this IWebhooksBuilder builder) => builder.UseInMemoryStore(static _ => { });

    /// <summary>Uses the embedded in-memory store (the default): fast, for one process, lost on restart.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the store, for example how many finished messages it keeps.</param>
    /// <returns>The builder.</returns>
    public static IWebhooksBuilder UseInMemoryStore(this IWebhooksBuilder builder, Action<InMemoryStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        builder.Services.Replace(ServiceDescriptor.Singleton<IWebhookStore>(InMemoryStoreRegistration.Create));
        return builder;
    }

    /// <summary>Uses <typeparamref name="TStore"/> as the store, replacing any other.</summary>
    /// <typeparam name="TStore">The store type, registered as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IWebhooksBuilder AddStore<TStore>(this IWebhooksBuilder builder)
        where TStore : class, IWebhookStore
        => Replace<IWebhookStore, TStore>(builder);

    /// <summary>Uses <typeparamref name="TTransport"/> to send requests, replacing the HTTP transport.</summary>
    /// <typeparam name="TTransport">The transport type, registered as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IWebhooksBuilder AddTransport<TTransport>(this IWebhooksBuilder builder)
        where TTransport : class, IDeliveryTransport
        => Replace<IDeliveryTransport, TTransport>(builder);

    /// <summary>Uses <typeparamref name="TSigner"/> to sign deliveries, replacing Standard Webhooks signing.</summary>
    /// <typeparam name="TSigner">The signer type, registered as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IWebhooksBuilder AddSigner<TSigner>(this IWebhooksBuilder builder)
        where TSigner : class, IWebhookSigner
        => Replace<IWebhookSigner, TSigner>(builder);

    /// <summary>Adds a handler of the library's operational notifications (webhook disabled, message failed, …).</summary>
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
        builder.Services.Replace(ServiceDescriptor.Singleton<TService, TImplementation>());
        return builder;
    }
}
