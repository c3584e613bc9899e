using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Engine;

[TestFixture]
public sealed class HostIntegrationTests
{
    [Test]
    public void AddWebhooks_ReturnsBuilderOverTheSameServices()
    {
        var services = new ServiceCollection();

        var builder = services.AddWebhooks();

        Assert.That(builder.Services, Is.SameAs(services));
    }

    [Test]
    public void AddWebhooks_CalledTwice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();

        services.AddWebhooks();
        var once = services.Count;
        services.AddWebhooks();

        Assert.Multiple(() =>
        {
            Assert.That(services.Count(d => d.ServiceType == typeof(IWebhookPublisher)), Is.EqualTo(1));
            Assert.That(services.Count(d => d.ServiceType == typeof(IHostedService)), Is.EqualTo(3), "the notification drain, the dispatcher, the verification worker");
            Assert.That(services.Where(d => d.ServiceType != typeof(IConfigureOptions<WebhooksOptions>)).Count(), Is.EqualTo(once));
        });
    }

    [Test]
    public void AddWebhooks_UserRegistrationMadeFirst_Wins()
    {
        var services = new ServiceCollection();
        var store = new InMemoryWebhookStore();
        services.AddSingleton<IWebhookStore>(store);
        services.AddSingleton(TimeProvider.System);

        services.AddWebhooks();

        Assert.That(services.BuildServiceProvider().GetRequiredService<IWebhookStore>(), Is.SameAs(store));
    }

    [Test]
    public void Builder_AddTransport_ReplacesTheHttpTransport()
    {
        var services = new ServiceCollection();

        services.AddWebhooks().AddTransport<FakeDeliveryTransport>();

        Assert.That(services.Single(d => d.ServiceType == typeof(IDeliveryTransport)).ImplementationType, Is.EqualTo(typeof(FakeDeliveryTransport)));
    }

    [Test]
    public void Start_InvalidOptions_FailsNamingTheOption()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddWebhooks(o =>
        {
            o.Health.WarningFailures = 20;
            o.Dispatcher.BatchSize = 0;
        });
        using var host = builder.Build();

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("WarningFailures"));
            Assert.That(error.Message, Does.Contain("BatchSize"));
        });
    }

    [TestCase("Dispatcher.PollInterval")]
    [TestCase("Dispatcher.HousekeepingInterval")]
    [TestCase("Dispatcher.LeaseDuration")]
    public void Start_TimerDurationBeyondWhatATimerWaits_FailsNamingIt(string option)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddWebhooks(o =>
        {
            _ = option switch
            {
                "Dispatcher.PollInterval" => o.Dispatcher.PollInterval = TimeSpan.MaxValue,
                "Dispatcher.HousekeepingInterval" => o.Dispatcher.HousekeepingInterval = TimeSpan.FromDays(50),
                _ => o.Dispatcher.LeaseDuration = TimeSpan.MaxValue,
            };
        });
        using var host = builder.Build();

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain($"{option} (").And.Contain("must be at most 49 days"));
    }

    [TestCase("Http.UserAgent", "must be printable ASCII")]
    [TestCase("Http.UserAgent é", "must be printable ASCII")]
    [TestCase("ChallengeHeaderName", "must be a header name")]
    [TestCase("ReservedHeaderPrefixes[1]", "must not be empty")]
    public void Start_OptionAHeaderCannotCarry_FailsNamingIt(string option, string problem)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddWebhooks(o =>
        {
            switch (option)
            {
                case "Http.UserAgent": o.Http.UserAgent = "x\r\nX-Injected: 1"; break;
                case "Http.UserAgent é": o.Http.UserAgent = "Wébhooks/1.0"; break;
                case "ChallengeHeaderName": o.ChallengeHeaderName = "my challenge"; break;
                default: o.ReservedHeaderPrefixes.Add("x-mine"); o.ReservedHeaderPrefixes.Add(""); break;
            }
        });
        using var host = builder.Build();

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain(option.Split(' ')[0]).And.Contain(problem));
    }

    [Test]
    public void Start_UndefinedDefaultVerificationMode_FailsNamingIt()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddWebhooks(static o => o.DefaultVerificationMode = (VerificationMode)7);
        using var host = builder.Build();

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain("DefaultVerificationMode (7) must be one of None, Challenge, TestEvent."));
    }

    [Test]
    public void Start_NegativeMaxRetryAfter_FailsAsAnOptionsError()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddWebhooks(o => o.Retry.MaxRetryAfter = TimeSpan.FromSeconds(-1));
        using var host = builder.Build();

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain("Retry.MaxRetryAfter"));
    }

    [Test]
    public async Task RetentionForever_HousekeepingStillForgetsDeletedWebhooks()
    {
        await using var host = await EngineHost.StartAsync(o => o.Retention = TimeSpan.MaxValue);
        var kept = (await host.CreateAsync("/kept")).Webhook;
        var deleted = (await host.CreateAsync("/deleted")).Webhook;
        var messages = (await host.PublishAsync("evt_1")).MessageIds;
        foreach (var (webhook, message) in new[] { kept, deleted }.Zip(messages))
        {
            await host.WaitForMessageAsync(webhook.Id, message, static d => d.Message.Status == MessageStatus.Success, "delivered");
        }

        await host.HealthSettledAsync();
        var dispatcher = host.Host.Services.GetServices<IHostedService>().OfType<Webhooks.Core.Internal.WebhookDispatcher>().Single();
        await host.Endpoints.DeleteAsync(deleted.Id);
        host.Time.Advance(new DispatcherOptions().HousekeepingInterval);

        await Eventually.HoldsAsync(() => Task.FromResult(dispatcher.TrackedWebhookCount == 1), () => $"tracked webhooks: {dispatcher.TrackedWebhookCount}");
        Assert.That((await host.Log.GetAsync(kept.Id, messages[0]))?.Message.Status, Is.EqualTo(MessageStatus.Success), "kept, as retention is forever");
    }

    [Test]
    public async Task SecretGracePeriodForever_RotationKeepsTheOldSecretWithoutEnd()
    {
        await using var host = await EngineHost.StartAsync(o => o.SecretGracePeriod = TimeSpan.MaxValue);
        var created = (await host.CreateAsync()).Webhook;

        var rotated = await host.Endpoints.RotateSecretAsync(created.Id);

        Assert.That(rotated.Webhook.Secrets.Select(static s => s.ExpiresAt), Is.EqualTo(new DateTimeOffset?[] { null, DateTimeOffset.MaxValue }));
    }

    [Test]
    public async Task Delivery_WithTracing_SendsTraceContextAndRecordsMetrics()
    {
        using var listener = TracingListener.Start();
        await using var host = await EngineHost.StartAsync();
        using var attempts = new MetricCollector<long>(host.Host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Webhooks.Core", "webhooks.delivery.attempts");
        await host.CreateAsync();

        await host.PublishAsync("evt_traced");

        var request = (await host.Receiver.WaitForRequestsAsync(1, Eventually.Deadline))[0];
        await attempts.WaitForMeasurementsAsync(1, Eventually.Deadline);
        Assert.Multiple(() =>
        {
            Assert.That(request.Headers.TryGetValue("traceparent", out var traceparent), Is.True);
            Assert.That(traceparent, Does.Match("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$"));
            Assert.That(attempts.LastMeasurement!.Value, Is.EqualTo(1));
            Assert.That(attempts.LastMeasurement.Tags["outcome"], Is.EqualTo("success"));
        });
    }

    [Test]
    public async Task Delivery_WebhookStoredWithTraceContextHeaders_SendsTheAttemptsOwn()
    {
        using var listener = TracingListener.Start();
        await using var host = await EngineHost.StartAsync();
        var created = await host.CreateAsync();
        var store = host.Host.Services.GetRequiredService<IWebhookStore>();
        var current = (await store.GetConfigAsync(created.Webhook.Id, CancellationToken.None))!;
        // As a webhook stored before the validator reserved the trace context may be: its owner's trace is not the host's.
        const string Spoofed = "00-11111111111111111111111111111111-2222222222222222-01";
        var headers = new Dictionary<string, string> { ["TraceParent"] = Spoofed, ["tracestate"] = "owner=1", ["X-Other"] = "kept" };
        await store.UpdateConfigAsync(current with { Headers = headers }, current.Generation, CancellationToken.None);

        await host.PublishAsync("evt_traced_own");

        var request = (await host.Receiver.WaitForRequestsAsync(1, Eventually.Deadline))[0];
        Assert.Multiple(() =>
        {
            Assert.That(request.Headers.TryGetValue("traceparent", out var traceparent), Is.True);
            Assert.That(traceparent, Does.Match("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$").And.Not.EqualTo(Spoofed));
            Assert.That(request.Headers.ContainsKey("tracestate"), Is.False, "the attempt's activity has no trace state");
            Assert.That(request.Headers["X-Other"], Is.EqualTo("kept"));
        });
    }

    [Test]
    public async Task Stop_WithAttemptInFlight_WaitsForItAndRecordsItsOutcome()
    {
        var host = await EngineHost.StartAsync();
        using var gate = new ManualResetEventSlim();
        host.Receiver.Respond(_ =>
        {
            gate.Wait(Eventually.Deadline);
            return ReceiverAnswer.Ok;
        });
        var webhook = (await host.CreateAsync()).Webhook;
        var id = (await host.PublishAsync("evt_inflight")).MessageIds[0];
        await host.Receiver.WaitForRequestsAsync(1, Eventually.Deadline);

        var stopping = host.Host.StopAsync();
        Assert.That(stopping.IsCompleted, Is.False, "stop waits for the attempt under way");
        gate.Set();
        await stopping;

        var store = host.Host.Services.GetRequiredService<IWebhookStore>();
        Assert.That((await store.GetMessageAsync(id, CancellationToken.None))!.Status, Is.EqualTo(MessageStatus.Success));
        host.Host.Dispose();
        await host.Receiver.DisposeAsync();
        _ = webhook;
    }

    // An attempt aborted when the shutdown ran out of time ended its webhook.deliver activity without a status, as if
    // it had not failed: the activity of a send that throws now ends with an error status.
    [Test]
    public async Task Stop_AttemptAbortedAsTheShutdownRunsOut_ItsActivityEndsWithAnErrorStatus()
    {
        var stopped = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = static s => s.Name == "Webhooks.Core",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var host = await EngineHost.StartAsync(services: s => s.Configure<HostOptions>(static o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(200)));
        using var gate = new ManualResetEventSlim();
        host.Receiver.Respond(_ =>
        {
            gate.Wait(Eventually.Deadline);
            return ReceiverAnswer.Ok;
        });
        await host.CreateAsync();
        var id = (await host.PublishAsync("evt_aborted")).MessageIds[0];
        await host.Receiver.WaitForRequestsAsync(1, Eventually.Deadline);

        await host.Host.StopAsync();
        var dispatcher = host.Host.Services.GetServices<IHostedService>().OfType<Webhooks.Core.Internal.WebhookDispatcher>().Single();
        await dispatcher.ExecuteTask!.WaitAsync(Eventually.Deadline);
        gate.Set();

        var deliveries = stopped.Where(a => a.OperationName == "webhook.deliver" && (string?)a.GetTagItem("webhooks.message_id") == id).ToArray();
        Assert.That(deliveries.Select(static a => a.Status), Is.EqualTo(new[] { ActivityStatusCode.Error }));
        host.Host.Dispose();
        await host.Receiver.DisposeAsync();
    }

    [Test]
    public async Task Stop_WithAttemptsClaimedButNotStarted_StartsNoneAndReleasesTheirLeases()
    {
        var host = await EngineHost.StartAsync(); // One attempt at a time per webhook: the rest wait for its slot.
        using var gate = new ManualResetEventSlim();
        host.Receiver.Respond(_ =>
        {
            gate.Wait(Eventually.Deadline);
            return ReceiverAnswer.Ok;
        });
        await host.CreateAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.AddRange((await host.PublishAsync($"evt_{i}")).MessageIds);
        }

        await host.Receiver.WaitForRequestsAsync(1, Eventually.Deadline);
        var stopping = host.Host.StopAsync();
        gate.Set();
        await stopping;

        var store = host.Host.Services.GetRequiredService<IWebhookStore>();
        var now = host.Time.GetUtcNow();
        var claimable = await store.ClaimDueAsync(now, 10, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(host.Receiver.Requests, Has.Count.EqualTo(1), "only the attempt under way when the stop came");
            Assert.That(claimable.Select(static l => l.Message.Id), Is.EquivalentTo(ids.Skip(1)), "the others are claimable at once, by another instance");
            Assert.That(claimable.Select(static l => l.Message.AttemptCount), Is.All.Zero);
        });
        host.Host.Dispose();
        await host.Receiver.DisposeAsync();
    }

    // A host disposed without being stopped cancelled the dispatcher's loop but not the attempt under way: its request
    // ran on after the host was gone, until the receiver answered or the HTTP timeout (never, on a clock that stands still).
    [Test]
    public async Task Dispose_WithoutStop_AbortsTheAttemptUnderWay()
    {
        var host = await EngineHost.StartAsync();
        using var gate = new ManualResetEventSlim();
        try
        {
            host.Receiver.Respond(_ =>
            {
                gate.Wait(Eventually.Deadline * 3);
                return ReceiverAnswer.Ok;
            });
            await host.CreateAsync();
            await host.PublishAsync("evt_disposed");
            await host.Receiver.WaitForRequestsAsync(1, Eventually.Deadline);
            var dispatcher = host.Host.Services.GetServices<IHostedService>().OfType<Webhooks.Core.Internal.WebhookDispatcher>().Single();

            await ((IAsyncDisposable)host.Host).DisposeAsync();

            Assert.That(async () => await dispatcher.ExecuteTask!.WaitAsync(Eventually.Deadline), Throws.Nothing, "the dispatcher ends while the receiver still holds its answer");
        }
        finally
        {
            gate.Set();
            await host.Receiver.DisposeAsync();
        }
    }

    [Test]
    public async Task NotificationHandler_DependingOnWebhookServices_IsResolvedAndCalled()
    {
        var handler = new LookingUpHandler.Box();
        await using var host = await EngineHost.StartAsync(services: s => s.AddSingleton(handler).AddWebhooks().AddNotificationHandler<LookingUpHandler>());
        host.Receiver.Respond(_ => ReceiverAnswer.Status(410));
        var webhook = (await host.CreateAsync(change: d => d with { Name = "gone" })).Webhook;

        await host.PublishAsync("evt_gone");

        await Eventually.HoldsAsync(() => Task.FromResult(handler.Names.Contains("gone")), () => "the handler to look the webhook up");
        Assert.That(webhook.Status, Is.EqualTo(WebhookStatus.Active));
    }

    /// <summary>A handler that needs the management services, as a host's would to e-mail a webhook's owner.</summary>
    private sealed class LookingUpHandler(IWebhookEndpoints endpoints, LookingUpHandler.Box box) : IWebhookNotificationHandler
    {
        public async ValueTask HandleAsync(WebhookNotification notification, CancellationToken cancellationToken)
        {
            var webhook = await endpoints.GetAsync(notification.WebhookId, cancellationToken);
            box.Names.Add(webhook!.Name);
        }

        public sealed class Box
        {
            public System.Collections.Concurrent.ConcurrentBag<string> Names { get; } = [];
        }
    }
}
