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
