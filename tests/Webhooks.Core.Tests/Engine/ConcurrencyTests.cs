using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Webhooks.Core.Tests.Engine;

/// <summary>The dispatcher's global and per-webhook limits, with a transport that holds every delivery until released.</summary>
[TestFixture]
public sealed class ConcurrencyTests
{
    [Test]
    public async Task Dispatch_ManyDueMessages_NoMoreAttemptsAtOnceThanMaxConcurrency()
    {
        var transport = new GatedTransport();
        await using var host = await StartAsync(transport, maxConcurrency: 3, perWebhook: 3);
        await host.CreateAsync();

        for (var i = 0; i < 12; i++)
        {
            await host.PublishAsync($"evt_{i}");
        }

        await Eventually.HoldsAsync(() => Task.FromResult(transport.Started == 3), () => $"{transport.Started} attempts started");

        // Each release lets one attempt finish; the next waiting one takes its place.
        for (var finished = 1; finished <= 12; finished++)
        {
            transport.Release(1);
            var expected = Math.Min(12, finished + 3);
            await Eventually.HoldsAsync(() => Task.FromResult(transport.Started == expected), () => $"{transport.Started} attempts started, {expected} expected");
        }

        Assert.That(transport.MostAtOnce, Is.EqualTo(3));
    }

    [Test]
    public async Task Dispatch_TwoWebhooks_EachHeldToItsOwnLimitWhileTheGlobalOneHasRoom()
    {
        var transport = new GatedTransport();
        await using var host = await StartAsync(transport, maxConcurrency: 8, perWebhook: 2);
        var first = await host.CreateAsync("/first");
        var second = await host.CreateAsync("/second");

        for (var i = 0; i < 6; i++)
        {
            await host.PublishAsync($"evt_{i}");
        }

        await Eventually.HoldsAsync(() => Task.FromResult(transport.Started == 4), () => $"{transport.Started} attempts started");
        transport.Release(12);
        await Eventually.HoldsAsync(() => Task.FromResult(transport.Started == 12 && transport.InFlight == 0), () => $"{transport.Started} attempts started");

        Assert.Multiple(() =>
        {
            Assert.That(transport.MostAtOnceFor(first.Webhook.Id), Is.EqualTo(2));
            Assert.That(transport.MostAtOnceFor(second.Webhook.Id), Is.EqualTo(2));
        });
    }

    // A worker that finishes an attempt and takes the next claimed one from the ready queue frees a place in the capacity
    // (the prefetch is one short). It looked at the capacity before taking that attempt, not after, so the claim loop
    // was not woken: nothing more was claimed until another attempt ended or the poll interval passed (fake time stands
    // still here, so never), though a place was free.
    [Test]
    public async Task Dispatch_WorkerTakesAPrefetchedAttempt_ClaimLoopIsWokenToClaimAgain()
    {
        // A per-webhook limit at the global one: no lanes, only workers and the ready queue.
        var (host, transport, claimed) = await SlowWebhookLaneTests.StartAsync(maxConcurrency: 4, perWebhook: 4);
        await using var running = host;
        await host.CreateAsync();
        for (var i = 0; i < 6; i++)
        {
            await host.PublishAsync($"evt_{i}");
        }

        // Capacity 4 + 2: four attempts in flight, two claimed ahead.
        var inFlight = new List<HeldRequest>();
        for (var i = 0; i < 4; i++)
        {
            inFlight.Add(await transport.NextAsync());
        }

        await Eventually.HoldsAsync(() => Task.FromResult(claimed.Count >= 6), () => $"{claimed.Count} claimed");

        // One attempt ends; its worker starts a claimed one: one place is free.
        inFlight[0].Respond(200);
        inFlight[0] = await transport.NextAsync();
        await host.PublishAsync("evt_6");

        await Eventually.HoldsAsync(() => Task.FromResult(claimed.Count >= 7), () => $"{claimed.Count} claimed though a place was free");
        foreach (var held in inFlight)
        {
            held.Respond(200);
        }
    }

    private static Task<EngineHost> StartAsync(GatedTransport transport, int maxConcurrency, int perWebhook) =>
        EngineHost.StartAsync(
            o =>
            {
                o.Dispatcher.MaxConcurrency = maxConcurrency;
                o.Dispatcher.MaxConcurrencyPerWebhook = perWebhook;
            },
            s => s.Replace(ServiceDescriptor.Singleton<IDeliveryTransport>(transport)));

    /// <summary>Answers 200 to every delivery once <see cref="Release"/> lets it, and counts how many wait at once.</summary>
    private sealed class GatedTransport : IDeliveryTransport
    {
        private readonly SemaphoreSlim _gate = new(0);
        private readonly Lock _lock = new();
        private readonly Dictionary<string, (int Now, int Most)> _byWebhook = [];
        private int _inFlight;
        private int _mostAtOnce;
        private int _started;

        public int Started => Volatile.Read(ref _started);

        public int InFlight => Volatile.Read(ref _inFlight);

        public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

        public int MostAtOnceFor(string webhookId)
        {
            lock (_lock)
            {
                return _byWebhook.GetValueOrDefault(webhookId).Most;
            }
        }

        public void Release(int count) => _gate.Release(count);

        public async ValueTask<DeliveryResult> SendAsync(DeliveryRequest request, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                var now = ++_inFlight;
                _mostAtOnce = Math.Max(_mostAtOnce, now);
                var webhook = _byWebhook.GetValueOrDefault(request.WebhookId);
                _byWebhook[request.WebhookId] = (webhook.Now + 1, Math.Max(webhook.Most, webhook.Now + 1));
                _started++;
            }

            try
            {
                await _gate.WaitAsync(cancellationToken);
                return new DeliveryResult { StatusCode = 200 };
            }
            finally
            {
                lock (_lock)
                {
                    _inFlight--;
                    var webhook = _byWebhook[request.WebhookId];
                    _byWebhook[request.WebhookId] = (webhook.Now - 1, webhook.Most);
                }
            }
        }
    }
}
