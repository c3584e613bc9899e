using System.Diagnostics;
using System.Net;
using Webhooks.Core.Testing;

namespace Webhooks.Core.LoadTest;

/// <summary>
/// Diagnostic (<c>--engine-only</c>): the engine with a transport that answers 200 at once, to measure what the engine
/// itself costs per message (publish, store, claim, sign, record) without HTTP.
/// </summary>
internal static class EngineOnly
{
    public static async Task RunAsync(LoadTestSettings settings)
    {
        var transport = new FakeDeliveryTransport();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IDeliveryTransport>(transport);
        builder.Services.AddWebhooks(o =>
        {
            o.AllowHttp = true;
            o.Http.AllowedAddresses.Add(IPAddress.Loopback);
            o.Dispatcher.MaxConcurrency = settings.Concurrency;
            o.Dispatcher.MaxConcurrencyPerWebhook = settings.Concurrency;
        });
        using var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<IWebhookEndpoints>().CreateAsync(new WebhookDefinition { Url = "http://127.0.0.1/hook", EventTypes = ["order.*"] });
        var publisher = host.Services.GetRequiredService<IWebhookPublisher>();
        for (var round = 0; round <= settings.Rounds; round++)
        {
            var events = Enumerable.Range(0, settings.Events).Select(i => WebhookEvent.FromJson($"r{round}_e{i}", "order.created", Payloads.OrderJson(i))).ToArray();
            var started = Stopwatch.GetTimestamp();
            var before = transport.Requests.Count;
            foreach (var webhookEvent in events)
            {
                await publisher.PublishAsync(webhookEvent);
            }

            var published = Stopwatch.GetElapsedTime(started);
            await transport.WaitForRequestsAsync(before + settings.Events, TimeSpan.FromMinutes(5));
            var total = Stopwatch.GetElapsedTime(started);
            Console.WriteLine($"engine only, round {round}: published {settings.Events / published.TotalSeconds,10:N0}/s, delivered {settings.Events / total.TotalSeconds,10:N0}/s ({total.TotalMicroseconds / settings.Events:0.0} us per message)");
        }

        await host.StopAsync();
    }
}
