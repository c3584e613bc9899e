using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NSubstitute;
using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.DependencyInjection;

/// <summary>
/// A builder call replaces every registration of its service made before it, the host's own included, so the call made
/// last wins and the replaced parts are not left to be resolved by whoever asks for all of them.
/// </summary>
public sealed class WebhooksBuilderExtensionsTests
{
    [Test]
    public void BuilderCall_TheHostRegisteredItsOwnBefore_IsTheOnlyRegistration(
        [Values("UseInMemoryStore", "UseInMemoryStore(configure)", "AddStore", "AddTransport", "AddSigner")] string call,
        [Values("before AddWebhooks", "after AddWebhooks")] string hostRegistered)
    {
        var services = new ServiceCollection();
        if (hostRegistered == "before AddWebhooks")
        {
            RegisterTheHostsOwn(services);
        }

        var builder = services.AddWebhooks();
        if (hostRegistered == "after AddWebhooks")
        {
            RegisterTheHostsOwn(services);
        }

        var (service, chosen) = Choose(builder, call);
        using var provider = services.BuildServiceProvider();

        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService(service), Is.TypeOf(chosen));
            Assert.That(services.Count(d => d.ServiceType == service), Is.EqualTo(1), "registrations of " + service.Name);
        });
    }

    [Test]
    public void StoreCalls_OneAfterAnother_TheLastWins()
    {
        var services = new ServiceCollection();

        services.AddWebhooks().UseInMemoryStore().AddStore<InMemoryWebhookStore>();

        Assert.That(services.Single(d => d.ServiceType == typeof(IWebhookStore)).ImplementationType, Is.EqualTo(typeof(InMemoryWebhookStore)));
    }

    [Test]
    public void AddStore_TheHostRegistersItsOwnAfterwards_TheHostsWins()
    {
        var services = new ServiceCollection();
        var mine = Substitute.For<IWebhookStore>();

        services.AddWebhooks().AddStore<InMemoryWebhookStore>();
        services.AddSingleton(mine);

        using var provider = services.BuildServiceProvider();
        Assert.That(provider.GetRequiredService<IWebhookStore>(), Is.SameAs(mine));
    }

    // AddNotificationHandler registers a singleton (as documented): one needing a scoped service is refused when the
    // container is built by a host that validates scopes, naming the service, rather than capturing one scope for the
    // host's life. Registered as scoped by the host it works (NotificationTests).
    [Test]
    public void AddNotificationHandler_DependingOnAScopedService_AHostValidatingScopesRefusesToBuildNamingIt()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development, Args = [] });
        builder.Services.AddScoped<TenantContext>();
        builder.Services.AddWebhooks().AddNotificationHandler<TenantHandler>();

        var error = Assert.Throws<AggregateException>(() => builder.Build());

        Assert.That(
            error!.InnerExceptions.Select(static e => e.Message),
            Has.Some.Contains($"Cannot consume scoped service '{typeof(TenantContext).FullName}' from singleton '{typeof(IWebhookNotificationHandler).FullName}'"));
    }

    private static (Type Service, Type Chosen) Choose(IWebhooksBuilder builder, string call)
    {
        switch (call)
        {
            case "UseInMemoryStore": builder.UseInMemoryStore(); return (typeof(IWebhookStore), typeof(InMemoryWebhookStore));
            case "UseInMemoryStore(configure)": builder.UseInMemoryStore(static o => o.MaxFinishedMessages = 10); return (typeof(IWebhookStore), typeof(InMemoryWebhookStore));
            case "AddStore": builder.AddStore<InMemoryWebhookStore>(); return (typeof(IWebhookStore), typeof(InMemoryWebhookStore));
            case "AddTransport": builder.AddTransport<FakeDeliveryTransport>(); return (typeof(IDeliveryTransport), typeof(FakeDeliveryTransport));
            default: builder.AddSigner<RicloudSigner>(); return (typeof(IWebhookSigner), typeof(RicloudSigner));
        }
    }

    /// <summary>What a host does to use its own parts without the builder.</summary>
    private static void RegisterTheHostsOwn(IServiceCollection services)
    {
        services.AddSingleton(Substitute.For<IWebhookStore>());
        services.AddSingleton(Substitute.For<IDeliveryTransport>());
        services.AddSingleton(Substitute.For<IWebhookSigner>());
    }

    /// <summary>A scoped service, as a host's <c>DbContext</c> is.</summary>
    private sealed class TenantContext
    {
        public string? TenantId { get; set; }
    }

    private sealed class TenantHandler(TenantContext context) : IWebhookNotificationHandler
    {
        public string? LastTenantId { get; private set; }

        public ValueTask HandleAsync(WebhookNotification notification, CancellationToken cancellationToken)
        {
            LastTenantId = context.TenantId;
            return ValueTask.CompletedTask;
        }
    }
}
