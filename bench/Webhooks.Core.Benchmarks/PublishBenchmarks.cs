using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Core.Benchmarks;

/// <summary>
/// Publishing a 1 KB event to one webhook, its data given as JSON text (validated while the payload is written) or
/// serialized from an object by <see cref="WebhookEvent.Create{T}"/> (not validated again). The event is already stored,
/// so the store does not grow across iterations: routing, writing the payload, the message and the idempotency check.
/// </summary>
[MemoryDiagnoser]
public class PublishBenchmarks
{
    private ServiceProvider _services = null!;
    private IWebhookPublisher _publisher = null!;
    private WebhookEvent _text = null!;
    private WebhookEvent _serialized = null!;

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection()
            .AddLogging()
            .AddWebhooks(o =>
            {
                o.Dispatcher.Enabled = false;
                o.AllowHttp = true;
                o.Http.AllowedAddresses.Add("127.0.0.1");
            })
            .Services
            .BuildServiceProvider();
        _services.GetRequiredService<IWebhookEndpoints>()
            .CreateAsync(new WebhookDefinition { Url = "http://127.0.0.1/hook", EventTypes = ["order.*"] }).GetAwaiter().GetResult();
        _publisher = _services.GetRequiredService<IWebhookPublisher>();

        // The same bytes both ways: the serializer's compact form of the server event.
        using var data = JsonDocument.Parse(ServerEvent.Json);
        _serialized = WebhookEvent.Create("evt_serialized", "order.created", data.RootElement);
        _text = WebhookEvent.FromJson("evt_text", "order.created", Encoding.UTF8.GetString(_serialized.Data.Span));
        if (PublishText().AsTask().Result.MessageIds.Count != 1 || PublishSerialized().AsTask().Result.MessageIds.Count != 1)
        {
            throw new InvalidOperationException("The events were not stored.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    public ValueTask<PublishResult> PublishText() => _publisher.PublishAsync(_text);

    [Benchmark]
    public ValueTask<PublishResult> PublishSerialized() => _publisher.PublishAsync(_serialized);
}
