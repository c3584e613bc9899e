using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Core.Internal;
using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Transport;

public sealed class HttpTransportServiceCollectionExtensionsTests
{
    [Test]
    public void AddWebhooksHttpTransport_Empty_RegistersHttpTransportAndSystemTime()
    {
        using var provider = new ServiceCollection().AddWebhooksHttpTransport().BuildServiceProvider();

        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<IDeliveryTransport>(), Is.InstanceOf<HttpDeliveryTransport>());
            Assert.That(provider.GetRequiredService<TimeProvider>(), Is.SameAs(TimeProvider.System));
        });
    }

    [Test]
    public void AddWebhooksHttpTransport_UserRegistrations_Kept()
    {
        var transport = new FakeDeliveryTransport();
        var time = new FakeTimeProvider();
        var services = new ServiceCollection().AddSingleton<IDeliveryTransport>(transport).AddSingleton<TimeProvider>(time);

        using var provider = services.AddWebhooksHttpTransport().BuildServiceProvider();

        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<IDeliveryTransport>(), Is.SameAs(transport));
            Assert.That(provider.GetRequiredService<TimeProvider>(), Is.SameAs(time));
        });
    }

    [Test]
    public void AddWebhooksHttpTransport_CalledTwice_RegistersOneTransport()
    {
        var services = new ServiceCollection().AddWebhooksHttpTransport().AddWebhooksHttpTransport();

        Assert.That(services.Count(d => d.ServiceType == typeof(IDeliveryTransport)), Is.EqualTo(1));
    }

    [Test]
    public void AddWebhooksHttpTransport_Default_PrimaryHandlerIsGuarded()
    {
        var handler = PrimaryHandler(_ => { });

        Assert.Multiple(() =>
        {
            Assert.That(handler.AllowAutoRedirect, Is.False);
            Assert.That(handler.UseCookies, Is.False);
            Assert.That(handler.UseProxy, Is.False);
            Assert.That(handler.ConnectCallback, Is.Not.Null);
            Assert.That(handler.ConnectTimeout, Is.EqualTo(TimeSpan.FromSeconds(15)));
        });
    }

    [Test]
    public void AddWebhooksHttpTransport_GuardOff_UsesTheDefaultConnection()
    {
        var handler = PrimaryHandler(o => o.BlockNonPublicAddresses = false);

        Assert.Multiple(() =>
        {
            Assert.That(handler.ConnectCallback, Is.Null);
            Assert.That(handler.AllowAutoRedirect, Is.False);
        });
    }

    [Test]
    public void AddWebhooksHttpTransport_HostHandlers_NamedOnesApplyWhenEverAddedAndEveryClientsDoNot()
    {
        var services = new ServiceCollection();
        services.ConfigureHttpClientDefaults(static http => http.AddHttpMessageHandler(static () => new Marker("every client, before")));
        services.AddHttpClient(HttpDeliveryTransport.ClientName).AddHttpMessageHandler(static () => new Marker("by name, before"));
        services.AddWebhooksHttpTransport();
        services.AddHttpClient(HttpDeliveryTransport.ClientName).AddHttpMessageHandler(static () => new Marker("by name, after"));
        services.ConfigureHttpClientDefaults(static http => http.AddHttpMessageHandler(static () => new Marker("every client, after")));
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpMessageHandlerFactory>();

        Assert.Multiple(() =>
        {
            Assert.That(Markers(factory.CreateHandler(HttpDeliveryTransport.ClientName)), Is.EqualTo(new[] { "by name, before", "by name, after" }));
            Assert.That(Markers(factory.CreateHandler("other")), Is.EqualTo(new[] { "every client, before", "every client, after" }), "other clients keep them");
        });
    }

    [Test]
    public void AddWebhooksHttpTransport_CalledTwiceAroundANamedHandler_KeepsIt()
    {
        var services = new ServiceCollection().AddWebhooksHttpTransport();
        services.AddHttpClient(HttpDeliveryTransport.ClientName).AddHttpMessageHandler(static () => new Marker("by name"));
        services.AddWebhooksHttpTransport();
        using var provider = services.BuildServiceProvider();

        Assert.That(Markers(provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(HttpDeliveryTransport.ClientName)), Is.EqualTo(new[] { "by name" }));
    }

    private static List<string> Markers(HttpMessageHandler handler)
    {
        var names = new List<string>();
        while (handler is DelegatingHandler delegating)
        {
            if (delegating is Marker marker)
            {
                names.Add(marker.Name);
            }

            handler = delegating.InnerHandler!;
        }

        return names;
    }

    private sealed class Marker(string name) : DelegatingHandler
    {
        public string Name { get; } = name;
    }

    private static SocketsHttpHandler PrimaryHandler(Action<HttpDeliveryOptions> configure)
    {
        var services = new ServiceCollection().AddWebhooksHttpTransport();
        services.Configure<WebhooksOptions>(o => configure(o.Http));
        using var provider = services.BuildServiceProvider();
        HttpMessageHandler handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(HttpDeliveryTransport.ClientName);
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler!;
        }

        return (SocketsHttpHandler)handler;
    }
}
