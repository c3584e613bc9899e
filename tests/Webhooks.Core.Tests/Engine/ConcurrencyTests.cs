using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Webhooks.Core.Internal;

namespace Webhooks.Core.Tests.Engine;

/// <summary>The dispatcher's global and per-webhook limits, with a transport that holds every delivery until released.</summary>
[TestFixture]
public sealed class ConcurrencyTests
{
    // One webhook whose endpoint is slow must not hold up every other webhook: the per-webhook limit (1 here) is there so
    // that the rest of the global capacity (4) serves the others. The slow webhook's claimed messages waited for its slot
    // in workers, counting against the global capacity, so nothing else was claimed until its backlog drained.
    [Test]
    public async Task SlowWebhookWithABacklog_AnotherWebhooksMessage_IsStillDelivered()
    {
        var (host, transport, claimed) = await SlowWebhookLaneTests.StartAsync(maxConcurrency: 4, perWebhook: 1);
        await using var disposeHost = host;
        var slow = (await host.CreateAsync("/slow", d => d with { EventTypes = ["slow.*"] })).Webhook;
        var fast = (await host.CreateAsync("/fast", d => d with { EventTypes = ["fast.*"] })).Webhook;

        for (var i = 0; i < 10; i++)
        {
            await host.PublishAsync($"evt_slow_{i}", type: "slow.event");
        }

        var inFlight = await transport.NextAsync();
        Assert.That(inFlight.Request.WebhookId, Is.EqualTo(slow.Id));

        // The dispatcher's capacity (4 workers and 2 claimed ahead) is now taken by the slow webhook's messages, and its
        // only request has been in flight for longer than a slow webhook's (the claim loop wakes at its poll).
        await Eventually.HoldsAsync(() => Task.FromResult(claimed.Count >= 6), () => $"{claimed.Count} claimed");
        host.Time.Advance(WebhookLane.SlowAttempt + new DispatcherOptions().PollInterval);
        var other = (await host.PublishAsync("evt_fast", type: "fast.event")).MessageIds.Single();

        HeldRequest? next = null;
        try
        {
            next = await transport.NextAsync();
        }
        catch (TimeoutException)
        {
            // Asserted below.
        }

        Assert.That(next?.Request.WebhookId, Is.EqualTo(fast.Id),
            $"the other webhook's message {other} was not sent while one request of the slow webhook was in flight (claimed: {claimed.Count}, sent: {transport.Sent})");
        next!.Respond(200);
        inFlight.Respond(200);

        // The slow webhook's messages put off meanwhile are sent later, each once (the clock moving by less than a lease).
        await host.WaitForMessageAsync(slow.Id, inFlight.MessageId, static d => d.Message.Status == MessageStatus.Success, "the first delivered");
        var slowIds = new HashSet<string>(StringComparer.Ordinal) { inFlight.MessageId };
        while (slowIds.Count < 10)
        {
            host.Time.Advance(TimeSpan.FromSeconds(20));
            var later = await transport.NextAsync();
            Assert.That(slowIds.Add(later.MessageId), Is.True, $"{later.MessageId} sent twice");
            later.Respond(200);
        }

        Assert.That(transport.Sent, Is.EqualTo(11));
    }

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
