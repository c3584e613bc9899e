using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Core.Internal;
using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Transport;

/// <summary>A running <see cref="TestWebhookReceiver"/> plus transports built the way a host builds them.</summary>
internal sealed class TransportHarness : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly List<ServiceProvider> _providers = [];

    private TransportHarness(TestWebhookReceiver receiver) => Receiver = receiver;

    public TestWebhookReceiver Receiver { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public static async Task<TransportHarness> StartAsync() => new(await TestWebhookReceiver.StartAsync());

    /// <summary>
    /// Builds the transport through <see cref="HttpTransportServiceCollectionExtensions.AddWebhooksHttpTransport"/> with
    /// loopback allowed (the receiver's address) before <paramref name="configure"/> runs, and fake time unless told otherwise.
    /// </summary>
    public IDeliveryTransport CreateTransport(
        Action<HttpDeliveryOptions>? configure = null,
        TimeProvider? timeProvider = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(timeProvider ?? Time);
        services.AddWebhooksHttpTransport();
        configureServices?.Invoke(services);
        services.Configure<WebhooksOptions>(options =>
        {
            options.Http.AllowedAddresses.Add("127.0.0.1");
            configure?.Invoke(options.Http);
        });
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<IDeliveryTransport>();
    }

    public DeliveryRequest Post(string body = """{"type":"order.created"}""", string path = "/hook") => new()
    {
        WebhookId = "wh_1",
        Url = Receiver.UrlFor(path),
        Body = System.Text.Encoding.UTF8.GetBytes(body),
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await Receiver.DisposeAsync();
    }
}
