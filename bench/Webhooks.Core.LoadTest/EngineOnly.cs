using System.Diagnostics;

namespace Webhooks.Core.LoadTest;

/// <summary>
/// Diagnostic (<c>--engine-only</c>): the engine with a transport that answers 200 at once, to measure what the engine
/// itself costs per message (publish, store, claim, sign, record) without HTTP.
/// </summary>
internal static class EngineOnly
{
    public static async Task RunAsync(LoadTestSettings settings)
    {
        var transport = new CountingTransport();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IDeliveryTransport>(transport);
        builder.Services.AddWebhooks(o =>
        {
            o.AllowHttp = true;
            o.Http.AllowedAddresses.Add("127.0.0.1");
            o.Dispatcher.MaxConcurrency = settings.Concurrency;
            o.Dispatcher.MaxConcurrencyPerWebhook = settings.Concurrency;
            o.Dispatcher.Enabled = !settings.PublishOnly;
        });
        using var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<IWebhookEndpoints>().CreateAsync(new WebhookDefinition { Url = "http://127.0.0.1/hook", EventTypes = ["order.*"] });
        var publisher = host.Services.GetRequiredService<IWebhookPublisher>();
        using var sampler = settings.SampleAllocations ? new AllocationSampler() : null;
        for (var round = 0; round <= settings.Rounds; round++)
        {
            var events = Enumerable.Range(0, settings.Events).Select(i => Payloads.OrderEvent($"r{round}_e{i}", i, settings.RawJson)).ToArray();
            var before = transport.Count;
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
            var gcBefore = GC.CollectionCount(0);
            var itemsBefore = ThreadPool.CompletedWorkItemCount;
            if (round == settings.Rounds)
            {
                sampler?.Start();
            }

            var started = Stopwatch.GetTimestamp();
            foreach (var webhookEvent in events)
            {
                await publisher.PublishAsync(webhookEvent);
            }

            var published = Stopwatch.GetElapsedTime(started);
            if (settings.PublishOnly)
            {
                var publishCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                Console.WriteLine(
                    $"publish only, round {round}: {settings.Events / published.TotalSeconds,10:N0}/s ({published.TotalMicroseconds / settings.Events:0.00} us per event; " +
                    $"CPU {publishCpu.TotalMicroseconds / settings.Events:0.00} us, {(GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore) / settings.Events:N0} B allocated)");
                if (round == settings.Rounds)
                {
                    sampler?.PrintTop(25, settings.Events);
                }

                continue;
            }

            await transport.WaitForAsync(before + settings.Events).WaitAsync(TimeSpan.FromMinutes(5));
            var total = Stopwatch.GetElapsedTime(started);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
            Console.WriteLine(
                $"engine only, round {round}: published {settings.Events / published.TotalSeconds,10:N0}/s, delivered {settings.Events / total.TotalSeconds,10:N0}/s " +
                $"({total.TotalMicroseconds / settings.Events:0.0} us per message; CPU {cpu.TotalMicroseconds / settings.Events:0.0} us, " +
                $"{allocated / settings.Events:N0} B allocated, {GC.CollectionCount(0) - gcBefore} gen0 GCs, {(double)(ThreadPool.CompletedWorkItemCount - itemsBefore) / settings.Events:0.00} work items)");
            var lastGen0 = GC.GetGCMemoryInfo(GCKind.Ephemeral);
            Console.WriteLine($"    last ephemeral GC: promoted {lastGen0.PromotedBytes / 1e6:0.0} MB, paused {lastGen0.PauseDurations[0].TotalMilliseconds:0.0} ms, heap {lastGen0.HeapSizeBytes / 1e6:0} MB");
            if (round == settings.Rounds)
            {
                sampler?.PrintTop(25, settings.Events);
            }
        }

        await host.StopAsync();
    }
}

/// <summary>Answers 200 at once and counts; keeps nothing, so the harness adds no memory of its own to the engine's.</summary>
internal sealed class CountingTransport : IDeliveryTransport
{
    private static readonly DeliveryResult Ok = new() { StatusCode = 200, ResponseBody = string.Empty };
    private long _count;
    private long _target = long.MaxValue;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Count => Interlocked.Read(ref _count);

    public Task WaitForAsync(long count)
    {
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _target, count);
        if (Count >= count)
        {
            _reached.TrySetResult();
        }

        return _reached.Task;
    }

    public ValueTask<DeliveryResult> SendAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _count) >= Interlocked.Read(ref _target))
        {
            _reached.TrySetResult();
        }

        return ValueTask.FromResult(Ok);
    }
}
