using System.Collections.Concurrent;
using System.Diagnostics;
using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Engine;

/// <summary>How the activities of deliveries and verifications run in the background are parented and end.</summary>
[TestFixture]
public sealed class DeliveryTelemetryTests
{
    // The dispatcher's loop ran on under whatever activity was current when the host started, so every delivery of the
    // process joined that one trace: each attempt, run in the background, starts a trace of its own.
    [Test]
    public async Task Delivery_HostStartedUnderAnActivity_StartsATraceOfItsOwn()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = Listen(stopped);
        var (host, startupTrace) = await StartUnderAnActivityAsync();
        await using (host)
        {
            await host.CreateAsync();
            var id = (await host.PublishAsync("evt_own_trace")).MessageIds[0];

            var request = (await host.Receiver.WaitForRequestsAsync(1, Eventually.Deadline))[0];
            var delivery = await StoppedAsync(stopped, a => (string?)a.GetTagItem("webhooks.message_id") == id);
            Assert.Multiple(() =>
            {
                Assert.That(delivery.ParentId, Is.Null);
                Assert.That(delivery.TraceId, Is.Not.EqualTo(startupTrace));
                Assert.That(request.Headers["traceparent"], Does.StartWith($"00-{delivery.TraceId}-"));
            });
        }
    }

    // A verification queued when a webhook is created runs in the background too, and was parented as the dispatcher's.
    [Test]
    public async Task QueuedVerification_HostStartedUnderAnActivity_StartsATraceOfItsOwn()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = Listen(stopped);
        var (host, startupTrace) = await StartUnderAnActivityAsync();
        await using (host)
        {
            var webhook = (await host.CreateAsync(change: d => d with { VerificationMode = VerificationMode.TestEvent })).Webhook;

            await host.WaitForWebhookAsync(webhook.Id, w => w.Status == WebhookStatus.Active, "verified");
            var test = await StoppedAsync(stopped, a => (string?)a.GetTagItem("webhooks.webhook_id") == webhook.Id);
            Assert.Multiple(() =>
            {
                Assert.That(test.ParentId, Is.Null);
                Assert.That(test.TraceId, Is.Not.EqualTo(startupTrace));
            });
        }
    }

    // A handshake cut short by the host stopping ended its webhook.verify activity without a status, as if it had not
    // failed; an attempt's webhook.deliver activity cut short so ends with an error status.
    [Test]
    public async Task Challenge_CancelledAsTheHostStops_ItsActivityEndsWithAnErrorStatus()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = Listen(stopped);
        var host = await EngineHost.StartAsync();
        using var gate = new ManualResetEventSlim();
        host.Receiver.Respond(_ =>
        {
            gate.Wait(Eventually.Deadline);
            return ReceiverAnswer.Ok;
        });
        var webhook = (await host.CreateAsync(change: d => d with { VerificationMode = VerificationMode.Challenge })).Webhook;
        await host.Receiver.WaitForRequestsAsync(1, Eventually.Deadline);

        await host.Host.StopAsync();
        gate.Set();

        var handshakes = stopped.Where(a => a.OperationName == "webhook.verify" && (string?)a.GetTagItem("webhooks.webhook_id") == webhook.Id).ToArray();
        Assert.That(handshakes.Select(static a => a.Status), Is.EqualTo(new[] { ActivityStatusCode.Error }));
        host.Host.Dispose();
        await host.Receiver.DisposeAsync();
    }

    private static async Task<(EngineHost Host, ActivityTraceId StartupTrace)> StartUnderAnActivityAsync()
    {
        using var startup = new Activity("host.startup").Start();
        return (await EngineHost.StartAsync(), startup.TraceId);
    }

    private static ActivityListener Listen(ConcurrentQueue<Activity> stopped)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = static s => s.Name == "Webhooks.Core",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static async Task<Activity> StoppedAsync(ConcurrentQueue<Activity> stopped, Func<Activity, bool> deliveryOf)
    {
        Activity? found = null;
        await Eventually.HoldsAsync(
            () => Task.FromResult((found = stopped.FirstOrDefault(a => a.OperationName == "webhook.deliver" && deliveryOf(a))) is not null),
            () => "a webhook.deliver activity");
        return found!;
    }
}
