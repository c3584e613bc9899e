using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Webhooks.Core.Testing;

namespace Webhooks.Core.PostgreSql.Tests;

/// <summary>
/// Two host instances deliver to one webhook and each records the health of its own attempts: their outcomes add up in
/// the webhook's window, none lost and none counted twice, and each transition is made (and notified) once. A window
/// that changes no status is written at most every ten seconds, so a transition the outcomes of both make together comes
/// with the first write after the outcome that completes it: at most those ten seconds later.
/// </summary>
public sealed class MultiInstanceHealthTests : PostgreSqlHostTestBase
{
    private ConcurrentQueue<WebhookNotification> _notifications = new();
    private int _statusCode;
    private PostgreSqlWebhookStore? _reader;

    private ManualResetEventSlim _bothAttempted = null!;

    [SetUp]
    public void StartFailing() => (_notifications, _statusCode, _reader, _bothAttempted) = (new(), 500, null, new());

    [TearDown]
    public void ForgetAttempts() => _bothAttempted.Dispose();

    // Nine failures make a Warning and no more (counted twice they would make ten: Error); ten disable the webhook once.
    [TestCase(9, WebhookState.Enabled, WebhookStatus.Warning, new[] { WebhookNotificationKind.WebhookWarning })]
    [TestCase(10, WebhookState.Disabled, WebhookStatus.Error, new[] { WebhookNotificationKind.WebhookWarning, WebhookNotificationKind.WebhookDisabled })]
    public async Task FailuresOnBothInstances_AddUp(int failures, WebhookState state, WebhookStatus status, WebhookNotificationKind[] notified)
    {
        var (hosts, webhook) = await StartTwoInstancesAsync();

        await DeliverAsync(hosts, failures, "fail");
        await WindowWrittenAsync(webhook, failures);
        var stored = await StopAsync(hosts, webhook);

        Assert.Multiple(() =>
        {
            Assert.That((stored.State, stored.Status), Is.EqualTo((state, status)), stored.StatusReason);
            Assert.That((stored.Health.Count, stored.Health.ConsecutiveFailures), Is.EqualTo((failures, failures)));

            // Each once, in any order: the instance that made the Warning and the one that made the Error raise their
            // notifications each in its own process, so the Error's may be handled first.
            Assert.That(_notifications.Select(n => n.Kind).ToArray(), Is.EquivalentTo(notified));
        });
    }

    // Nine successes after a Warning keep it (counted twice they would recover it); ten recover it once.
    [TestCase(9, WebhookStatus.Warning, new[] { WebhookNotificationKind.WebhookWarning })]
    [TestCase(10, WebhookStatus.Active, new[] { WebhookNotificationKind.WebhookWarning, WebhookNotificationKind.WebhookRecovered })]
    public async Task SuccessesOnBothInstances_AddUpToTheRecovery(int successes, WebhookStatus status, WebhookNotificationKind[] notified)
    {
        var (hosts, webhook) = await StartTwoInstancesAsync();
        await DeliverAsync(hosts, 5, "fail");
        Assert.That((await WindowWrittenAsync(webhook, 5)).Status, Is.EqualTo(WebhookStatus.Warning));

        Volatile.Write(ref _statusCode, 200);
        await DeliverAsync(hosts, successes, "ok");
        await WindowWrittenAsync(webhook, 5 + successes);
        var stored = await StopAsync(hosts, webhook);

        Assert.Multiple(() =>
        {
            Assert.That((stored.State, stored.Status), Is.EqualTo((WebhookState.Enabled, status)), stored.StatusReason);
            Assert.That((stored.Health.Count, stored.Health.ConsecutiveSuccesses), Is.EqualTo((5 + successes, successes)));
            Assert.That(_notifications.Select(n => n.Kind).ToArray(), Is.EquivalentTo(notified));
        });
    }

    // An attempt to a webhook under way (on either instance) while one deletes the webhook and creates one with its id
    // and URL: the 410 it gets is the deleted webhook's, and disabled the new one.
    [Test]
    public async Task WebhookCreatedAgainWithItsIdDuringAnAttempt_TheAttemptsGone_DoesNotDisableIt()
    {
        var (hosts, deleted) = await StartTwoInstancesAsync();
        using var answer = new ManualResetEventSlim();
        foreach (var host in hosts)
        {
            Transport(host).Respond(_ =>
            {
                answer.Wait(Timeout);
                return new DeliveryResult { StatusCode = 410, ResponseBody = string.Empty };
            });
        }

        // Either instance may claim it.
        await hosts[0].Services.GetRequiredService<IWebhookPublisher>().PublishAsync(WebhookEvent.FromJson("evt-1", "order.created", "{}"));
        await WaitUntilAsync(() => Task.FromResult(hosts.Sum(h => Transport(h).Requests.Count) == 1), "the attempt is under way");

        var endpoints = hosts[1].Services.GetRequiredService<IWebhookEndpoints>();
        await endpoints.DeleteAsync(deleted.Id);
        Time.Advance(TimeSpan.FromSeconds(1));
        await endpoints.CreateAsync(new WebhookDefinition { Id = deleted.Id, Name = "orders", Url = deleted.Url, EventTypes = ["order.*"], VerificationMode = VerificationMode.None });
        answer.Set();
        await Task.WhenAll(hosts.Select(h => h.StopAsync()));
        var stored = await ReadAsync(deleted.Id);

        Assert.Multiple(() =>
        {
            Assert.That((stored.State, stored.Status, stored.Health.Count), Is.EqualTo((WebhookState.Enabled, WebhookStatus.Active, 0)), stored.StatusReason);
            Assert.That(_notifications.Select(n => n.Kind).ToArray(), Is.Empty);
        });
    }

    /// <summary>
    /// Moves the clock on, a second at a time, until the stored window holds <paramref name="outcomes"/> outcomes: each
    /// instance writes its window within ten seconds of an attempt (an outcome may still be folded when the attempt has
    /// been counted, and its write time set from before a move).
    /// </summary>
    private async Task<WebhookConfig> WindowWrittenAsync(WebhookConfig webhook, int outcomes)
    {
        await WaitUntilAsync(
            async () =>
            {
                Time.Advance(TimeSpan.FromSeconds(1));
                return (await ReadAsync(webhook.Id)).Health.Count == outcomes;
            },
            $"the window holds {outcomes} outcomes");
        return await ReadAsync(webhook.Id);
    }

    /// <summary>
    /// Starts two instances on the test's schema, on one clock that only the test moves (no retry falls due), and a
    /// webhook. Each makes one attempt at a time, and the first attempts are answered once both instances have made one:
    /// the instance that makes the first cannot make the rest, so the outcomes of both add up.
    /// </summary>
    private async Task<(IHost[] Hosts, WebhookConfig Webhook)> StartTwoInstancesAsync()
    {
        var hosts = new IHost[2];
        for (var i = 0; i < hosts.Length; i++)
        {
            hosts[i] = await StartHostAsync(
                o =>
                {
                    o.Retry.BaseDelay = TimeSpan.FromHours(1);
                    o.Dispatcher.MaxConcurrency = 1;
                    o.Dispatcher.MaxConcurrencyPerWebhook = 1;
                },
                engine =>
                {
                    engine.AddTransport<FakeDeliveryTransport>();
                    engine.Services.AddSingleton<TimeProvider>(Time);
                    engine.Services.AddSingleton<IWebhookNotificationHandler>(new RecordingHandler(_notifications));
                });
        }

        var bothAttempted = _bothAttempted;
        foreach (var host in hosts)
        {
            Transport(host).Respond(_ =>
            {
                if (hosts.All(h => Transport(h).Requests.Count > 0))
                {
                    bothAttempted.Set();
                }

                bothAttempted.Wait(Timeout);
                return new DeliveryResult { StatusCode = Volatile.Read(ref _statusCode), ResponseBody = string.Empty };
            });
        }

        var webhook = (await hosts[0].Services.GetRequiredService<IWebhookEndpoints>().CreateAsync(
            new WebhookDefinition { Name = "orders", Url = "https://example.com/orders", EventTypes = ["order.*"], VerificationMode = VerificationMode.None })).Webhook;
        return (hosts, webhook);
    }

    /// <summary>Publishes <paramref name="count"/> events on both instances at once, and waits until each has been attempted.</summary>
    private static async Task DeliverAsync(IHost[] hosts, int count, string prefix)
    {
        var before = hosts.Sum(h => Transport(h).Requests.Count);
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(() =>
            hosts[i % hosts.Length].Services.GetRequiredService<IWebhookPublisher>().PublishAsync(WebhookEvent.FromJson($"{prefix}-{i}", "order.created", "{}")))));
        await WaitUntilAsync(() => Task.FromResult(hosts.Sum(h => Transport(h).Requests.Count) == before + count), $"{count} attempts are made");
    }

    /// <summary>Stops both instances at once (each writes what it has not written yet), and returns the webhook as stored.</summary>
    private async Task<WebhookConfig> StopAsync(IHost[] hosts, WebhookConfig webhook)
    {
        Assert.That(hosts.Select(h => Transport(h).Requests.Count), Has.All.Positive, "both instances made attempts");
        await Task.WhenAll(hosts.Select(h => h.StopAsync()));
        return await ReadAsync(webhook.Id);
    }

    private async Task<WebhookConfig> ReadAsync(string id) => (await (_reader ??= CreateStore()).GetConfigAsync(id, Timeout))!;

    private static FakeDeliveryTransport Transport(IHost host) => (FakeDeliveryTransport)host.Services.GetRequiredService<IDeliveryTransport>();

    private sealed class RecordingHandler(ConcurrentQueue<WebhookNotification> notifications) : IWebhookNotificationHandler
    {
        public ValueTask HandleAsync(WebhookNotification notification, CancellationToken cancellationToken)
        {
            notifications.Enqueue(notification);
            return ValueTask.CompletedTask;
        }
    }
}
