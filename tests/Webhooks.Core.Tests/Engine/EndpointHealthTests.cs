using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Engine;

[TestFixture]
public sealed class EndpointHealthTests
{
    [Test]
    public async Task Deliveries_FiveFailuresThenTenInARow_WarningThenErrorAndSystemDisabled()
    {
        await using var host = await EngineHost.StartAsync();
        host.Receiver.Respond(_ => ReceiverAnswer.Status(500));
        var webhook = (await host.CreateAsync()).Webhook;

        for (var i = 0; i < 5; i++)
        {
            await host.PublishAsync($"evt_{i}");
        }

        var warned = await host.WaitForWebhookAsync(webhook.Id, w => w.Status == WebhookStatus.Warning, "Warning after 5 failures");
        Assert.That(warned.State, Is.EqualTo(WebhookState.Enabled));

        for (var i = 5; i < 10; i++)
        {
            await host.PublishAsync($"evt_{i}");
        }

        var failed = await host.WaitForWebhookAsync(webhook.Id, w => w.Status == WebhookStatus.Error, "Error after 10 consecutive failures");
        await host.WaitForNotificationAsync(webhook.Id, WebhookNotificationKind.WebhookDisabled);
        Assert.Multiple(() =>
        {
            Assert.That(failed.State, Is.EqualTo(WebhookState.Disabled));
            Assert.That(failed.StatusReason, Is.EqualTo("10 consecutive delivery failures."));
            Assert.That(host.Receiver.Requests, Has.Count.EqualTo(10));
            Assert.That(host.Notifications.Kinds(webhook.Id), Is.EqualTo(new[] { WebhookNotificationKind.WebhookWarning, WebhookNotificationKind.WebhookDisabled }));
        });
    }

    [Test]
    public async Task UserChangeRacingTheWarningWrite_OutcomesCountOnce_AndTheChangeIsKept()
    {
        var inner = new InMemoryWebhookStore();
        var renamed = 0;
        var store = InterceptedStore.Create(inner, (method, args) =>
        {
            // A user's rename lands between the health fold reading the config and storing the Warning it moves to.
            if (method == nameof(IWebhookStore.UpdateConfigAsync) && args[0] is WebhookConfig { Status: WebhookStatus.Warning } warning
                && Interlocked.Exchange(ref renamed, 1) == 0)
            {
                var current = inner.GetConfigAsync(warning.Id, CancellationToken.None).AsTask().GetAwaiter().GetResult()!;
                inner.UpdateConfigAsync(current with { Name = "renamed" }, current.Generation, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }
        });
        await using var host = await EngineHost.StartAsync(o => o.Retry.Schedule = [], services => services.Replace(ServiceDescriptor.Singleton(store)));
        host.Receiver.Respond(_ => ReceiverAnswer.Status(500));
        var webhook = (await host.CreateAsync()).Webhook;

        await PublishEachFailingAsync(host, webhook.Id, 9);

        await host.HealthSettledAsync();
        var afterNine = (await host.Endpoints.GetAsync(webhook.Id))!;
        var tenth = (await host.PublishAsync("evt_9")).MessageIds[0];
        await host.WaitForMessageAsync(webhook.Id, tenth, d => d.Message.Status == MessageStatus.Failed, "failed");
        var afterTen = await host.WaitForWebhookAsync(webhook.Id, w => w.State == WebhookState.Disabled, "disabled by the tenth failure in a row");

        Assert.Multiple(() =>
        {
            Assert.That(renamed, Is.EqualTo(1), "the rename was slipped in");
            Assert.That((afterNine.State, afterNine.Status, afterNine.Name), Is.EqualTo((WebhookState.Enabled, WebhookStatus.Warning, "renamed")));
            Assert.That(afterTen.StatusReason, Is.EqualTo("10 consecutive delivery failures."));
        });
    }

    [Test]
    public async Task Deliveries_NineFailuresThenTenSuccesses_BackToActiveOnTheTenth()
    {
        await using var host = await EngineHost.StartAsync();
        host.Receiver.Respond(r => host.Receiver.Requests.Count <= 9 ? ReceiverAnswer.Status(500) : ReceiverAnswer.Ok);
        var webhook = (await host.CreateAsync()).Webhook;

        var ids = new List<string>();
        for (var i = 0; i < 18; i++)
        {
            ids.AddRange((await host.PublishAsync($"evt_{i}")).MessageIds);
        }

        foreach (var id in ids)
        {
            await host.WaitForMessageAsync(webhook.Id, id, d => d.Attempts.Count == 1 && d.Message.Status != MessageStatus.Created, "first attempt recorded");
        }

        await host.HealthSettledAsync();
        Assert.That((await host.Endpoints.GetAsync(webhook.Id))!.Status, Is.EqualTo(WebhookStatus.Warning), "9 failures then 9 successes is still Warning");

        await host.PublishAsync("evt_18");

        var recovered = await host.WaitForWebhookAsync(webhook.Id, w => w.Status == WebhookStatus.Active, "Active after 10 successes");
        await host.WaitForNotificationAsync(webhook.Id, WebhookNotificationKind.WebhookRecovered);
        Assert.Multiple(() =>
        {
            Assert.That(recovered.State, Is.EqualTo(WebhookState.Enabled));
            Assert.That(host.Notifications.Kinds(webhook.Id), Is.EqualTo(new[] { WebhookNotificationKind.WebhookWarning, WebhookNotificationKind.WebhookRecovered }));
        });
    }

    /// <summary>
    /// Nine failures make a webhook Warning; the user's test is accepted, which makes it Active with a fresh window. One
    /// more failure is one in that window: the webhook stays enabled, rather than reaching "10 consecutive delivery
    /// failures" with a 2xx answer between them.
    /// </summary>
    [Test]
    public async Task AcceptedTestAfterNineFailures_OneMoreFailure_DoesNotDisable()
    {
        await using var host = await EngineHost.StartAsync(o => o.Retry.Schedule = []);
        host.Receiver.Respond(r => r.BodyText.Contains("webhook.test", StringComparison.Ordinal) ? ReceiverAnswer.Ok : ReceiverAnswer.Status(500));
        var webhook = (await host.CreateAsync()).Webhook;
        await PublishEachFailingAsync(host, webhook.Id, 9);
        await host.HealthSettledAsync();
        Assert.That((await host.Endpoints.GetAsync(webhook.Id))!.Status, Is.EqualTo(WebhookStatus.Warning), "precondition");

        var tested = await host.Endpoints.TestAsync(webhook.Id);
        Assert.That((tested.State, tested.Status), Is.EqualTo((WebhookState.Enabled, WebhookStatus.Active)), "the test was accepted");
        var last = (await host.PublishAsync("evt_9")).MessageIds[0];
        await host.WaitForMessageAsync(webhook.Id, last, d => d.Message.Status == MessageStatus.Failed, "failed its only attempt");
        await host.HealthSettledAsync();

        var after = (await host.Endpoints.GetAsync(webhook.Id))!;
        Assert.That((after.State, after.Status), Is.EqualTo((WebhookState.Enabled, WebhookStatus.Active)), after.StatusReason);
    }

    /// <summary>
    /// Sixteen attempts in flight at once (the default per-webhook limit): outcomes count in the order they are answered.
    /// The first six answered fail, the next ten succeed: Warning at the fifth failure, Active again at the tenth success.
    /// </summary>
    [Test]
    public async Task SixteenInFlight_SixFailuresAnsweredFirst_WarningThenRecovered()
    {
        var transport = new HoldingTransport();
        await using var host = await EngineHost.StartAsync(
            o => o.Dispatcher.MaxConcurrencyPerWebhook = 16,
            s => s.Replace(ServiceDescriptor.Singleton<IDeliveryTransport>(transport)));
        var webhook = (await host.CreateAsync()).Webhook;
        for (var i = 0; i < 16; i++)
        {
            await host.PublishAsync($"evt_{i}");
        }

        var held = new List<HeldRequest>();
        for (var i = 0; i < 16; i++)
        {
            held.Add(await transport.NextAsync());
        }

        // Every answer is recorded before the next is given: the order they were answered is the order they count in.
        for (var i = 0; i < held.Count; i++)
        {
            held[i].Respond(i < 6 ? 500 : 200);
            await host.WaitForMessageAsync(webhook.Id, held[i].MessageId, d => d.Attempts.Count == 1, "attempt recorded");
        }

        await host.HealthSettledAsync();
        await host.NotificationsSettledAsync();
        var stored = (await host.Endpoints.GetAsync(webhook.Id))!;
        Assert.Multiple(() =>
        {
            Assert.That(host.Notifications.Kinds(webhook.Id), Is.EqualTo(new[] { WebhookNotificationKind.WebhookWarning, WebhookNotificationKind.WebhookRecovered }));
            Assert.That((stored.Status, stored.StatusReason), Is.EqualTo((WebhookStatus.Active, "10 consecutive successful deliveries.")));
        });
    }

    [Test]
    public async Task Delivery_EndpointAnswers410_WebhookGoesToErrorAtOnce()
    {
        await using var host = await EngineHost.StartAsync();
        host.Receiver.Respond(_ => ReceiverAnswer.Status(410));
        var webhook = (await host.CreateAsync()).Webhook;

        await host.PublishAsync("evt_gone");

        var gone = await host.WaitForWebhookAsync(webhook.Id, w => w.Status == WebhookStatus.Error, "Error after 410");
        Assert.That(gone.State, Is.EqualTo(WebhookState.Disabled));
    }

    [Test]
    public async Task HeldMessages_WebhookReEnabled_AreDeliveredAndNoneWereDropped()
    {
        await using var host = await EngineHost.StartAsync();
        host.Receiver.Respond(_ => ReceiverAnswer.Status(500));
        var webhook = (await host.CreateAsync()).Webhook;
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.AddRange((await host.PublishAsync($"evt_{i}")).MessageIds);
        }

        await host.WaitForWebhookAsync(webhook.Id, w => w.Status == WebhookStatus.Error, "disabled by failures");
        var whileDisabled = await host.PublishAsync("evt_while_disabled");
        host.Time.Advance(TimeSpan.FromSeconds(5));
        foreach (var id in ids)
        {
            await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.NextAttemptAt is null && !d.Message.IsFinished, "held");
        }

        host.Receiver.Respond(_ => ReceiverAnswer.Ok);
        var enabled = await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Enabled });

        Assert.That(enabled.Status, Is.EqualTo(WebhookStatus.Active));
        foreach (var id in ids)
        {
            var done = await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Success, "delivered after re-enable");
            Assert.That(done.Attempts, Has.Count.EqualTo(2));
        }

        Assert.That(whileDisabled.MessageIds, Is.Empty, "a disabled webhook does not take new events");
    }

    [Test]
    public async Task HealthWriteFails_ItsOutcomesAreWrittenAtTheRetry()
    {
        var failWrites = 0;
        var store = InterceptedStore.Create(new InMemoryWebhookStore(), (method, _) =>
        {
            if (method == nameof(IWebhookStore.UpdateConfigAsync) && Volatile.Read(ref failWrites) == 1)
            {
                throw new InvalidOperationException("The store is unavailable.");
            }
        });
        await using var host = await EngineHost.StartAsync(o => o.Retry.Schedule = [], s => s.Replace(ServiceDescriptor.Singleton(store)));
        host.Receiver.Respond(_ => ReceiverAnswer.Status(500));
        var webhook = (await host.CreateAsync()).Webhook;

        Volatile.Write(ref failWrites, 1);
        var id = (await host.PublishAsync("evt_1")).MessageIds[0];
        await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Failed, "failed its only attempt");
        await host.HealthSettledAsync();
        var whileFailing = (await host.Endpoints.GetAsync(webhook.Id))!.Health;
        Volatile.Write(ref failWrites, 0);

        host.Time.Advance(Webhooks.Core.Internal.HealthRecorder.PersistInterval);

        var written = await host.WaitForWebhookAsync(webhook.Id, w => w.Health.Count > 0, "the outcome written at the retry");
        Assert.That((whileFailing.Count, written.Health.Count, written.Health.ConsecutiveFailures), Is.EqualTo((0, 1, 1)));
    }

    [Test]
    public async Task Stopping_OutcomesNotWrittenYetAreWritten()
    {
        await using var host = await EngineHost.StartAsync(o => o.Retry.Schedule = []);
        host.Receiver.Respond(_ => ReceiverAnswer.Status(500));
        var webhook = (await host.CreateAsync()).Webhook;
        await PublishEachFailingAsync(host, webhook.Id, 3);

        await host.HealthSettledAsync();
        var running = (await host.Endpoints.GetAsync(webhook.Id))!.Health;

        await host.Host.StopAsync();

        var stopped = (await host.Endpoints.GetAsync(webhook.Id))!.Health;
        Assert.Multiple(() =>
        {
            Assert.That(running.Count, Is.EqualTo(1), "written while running, within the persist interval: the first outcome");
            Assert.That((stopped.Count, stopped.ConsecutiveFailures), Is.EqualTo((3, 3)), "written when stopped");
        });
    }

    [Test]
    public async Task TwoInstancesOnOneStore_TenConsecutiveFailuresBetweenThem_ErrorAndSystemDisabled()
    {
        // Two hosts share one store (wrapped, so neither finds the other's wake-ups): each publish wakes its own host's
        // dispatcher, so the attempts alternate, and neither host alone sees ten failures in a row.
        var shared = new InMemoryWebhookStore();
        await using var one = await EngineHost.StartAsync(o => o.Retry.Schedule = [], s => s.Replace(ServiceDescriptor.Singleton(InterceptedStore.Create(shared, static (_, _) => { }))));
        await using var two = await EngineHost.StartAsync(o => o.Retry.Schedule = [], s => s.Replace(ServiceDescriptor.Singleton(InterceptedStore.Create(shared, static (_, _) => { }))));
        one.Receiver.Respond(_ => ReceiverAnswer.Status(500));
        var webhook = (await one.CreateAsync()).Webhook;

        for (var i = 0; i < 10; i++)
        {
            var host = i % 2 == 0 ? one : two;
            var id = (await host.PublishAsync($"evt_{i}")).MessageIds[0];
            await one.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Failed, "failed its only attempt");
            await host.HealthSettledAsync();
        }

        // Each host writes what it has not written yet within the persist interval.
        one.Time.Advance(Webhooks.Core.Internal.HealthRecorder.PersistInterval);
        two.Time.Advance(Webhooks.Core.Internal.HealthRecorder.PersistInterval);
        var after = await one.WaitForWebhookAsync(webhook.Id, w => w.Status == WebhookStatus.Error, "Error once both hosts wrote their outcomes");
        Assert.That(after.State, Is.EqualTo(WebhookState.Disabled), $"window stored: {after.Health}");
    }

    /// <summary>Publishes <paramref name="count"/> events one after the other, each waited for until its only attempt failed.</summary>
    private static async Task PublishEachFailingAsync(EngineHost host, string webhookId, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var id = (await host.PublishAsync($"evt_{i}")).MessageIds[0];
            await host.WaitForMessageAsync(webhookId, id, d => d.Message.Status == MessageStatus.Failed, "failed its only attempt");
        }
    }
}
