using System.Diagnostics;

namespace Webhooks.Core.LoadTest;

/// <summary>The whole engine in a host: publisher, store, dispatcher, HTTP transport, one webhook to the receiver.</summary>
internal sealed class EngineUnderTest : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly CountingReceiver _receiver;
    private readonly IWebhookPublisher _publisher;
    private readonly int _publishers;
    private readonly bool _rawJson;
    private int _run;

    public IServiceProvider Services => _host.Services;

    private EngineUnderTest(IHost host, CountingReceiver receiver, int publishers, bool rawJson)
    {
        _host = host;
        _receiver = receiver;
        _publishers = publishers;
        _rawJson = rawJson;
        _publisher = host.Services.GetRequiredService<IWebhookPublisher>();
    }

    public static async Task<EngineUnderTest> StartAsync(LoadTestSettings settings, CountingReceiver receiver)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var webhooks = builder.Services.AddWebhooks(o =>
        {
            o.AllowHttp = true;
            o.Http.AllowedAddresses.Add("127.0.0.1");
            o.Dispatcher.MaxConcurrency = settings.Concurrency;
            o.Dispatcher.MaxConcurrencyPerWebhook = settings.Concurrency;
        });
        StoreChoice.Apply(webhooks, settings);
        var host = builder.Build();
        await host.StartAsync();
        var endpoints = host.Services.GetRequiredService<IWebhookEndpoints>();
        await endpoints.CreateAsync(new WebhookDefinition { Name = "load", Url = receiver.Url, EventTypes = ["order.*"] });
        return new EngineUnderTest(host, receiver, settings.Publishers, settings.RawJson);
    }

    /// <summary>Builds the events of one run: done before the run, as the bare loop's bodies are.</summary>
    public WebhookEvent[] PrepareEvents(int count)
    {
        var run = Interlocked.Increment(ref _run);
        return Enumerable.Range(0, count).Select(i => Payloads.OrderEvent($"run{run}_evt{i}", i, _rawJson)).ToArray();
    }

    /// <summary>Publishes the events and returns deliveries per second, from the first publish to the last delivery.</summary>
    public async Task<double> RunAsync(WebhookEvent[] events)
    {
        var count = events.Length;
        var delivered = _receiver.ExpectAsync(count);
        var started = Stopwatch.GetTimestamp();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, _publishers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await _publisher.PublishAsync(events[i]);
            }
        })));
        await delivered.WaitAsync(TimeSpan.FromMinutes(10));
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>Publishes at a steady <paramref name="rate"/> and measures publish -> first attempt arrival at the receiver.</summary>
    public async Task<LatencyStats> MeasureLatencyAsync(int rate, int seconds)
    {
        var total = rate * seconds;
        var published = new (string MessageId, long At)[total];
        _receiver.FirstSeen.Clear();
        _receiver.RecordArrivals = true;
        var delivered = _receiver.ExpectAsync(total);
        var tick = TimeSpan.FromMilliseconds(10);
        var perTick = Math.Max(1, rate / 100);
        using var timer = new PeriodicTimer(tick);
        var sent = 0;
        while (sent < total && await timer.WaitForNextTickAsync())
        {
            for (var k = 0; k < perTick && sent < total; k++, sent++)
            {
                // The event is made before the clock starts, as the host's own work.
                var webhookEvent = Payloads.OrderEvent($"paced_evt{sent}", sent, _rawJson);
                var at = Stopwatch.GetTimestamp();
                var result = await _publisher.PublishAsync(webhookEvent);
                published[sent] = (result.MessageIds[0], at);
            }
        }

        await delivered.WaitAsync(TimeSpan.FromMinutes(5));
        _receiver.RecordArrivals = false;
        var latencies = published
            .Select(p => Stopwatch.GetElapsedTime(p.At, _receiver.FirstSeen[p.MessageId]).TotalMilliseconds)
            .Order()
            .ToArray();
        return new LatencyStats(latencies.Length, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1]);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

internal sealed record LatencyStats(int Count, double P50, double P99, double Max);
