using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Engine;

/// <summary>How notification handlers are run: in the background, in their own scope, never holding a delivery.</summary>
[TestFixture]
public sealed class NotificationTests
{
    [Test]
    public async Task ScopedHandler_InAHostThatValidatesScopes_IsCalledAndSoAreTheOthers()
    {
        await using var receiver = await TestWebhookReceiver.StartAsync(cancellationToken: CancellationToken.None);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development, Args = [] });
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(EngineHost.Start));
        var recording = new RecordingNotificationHandler();
        builder.Services.AddSingleton(recording);
        builder.Services.AddScoped<IWebhookNotificationHandler, ScopedHandler>();
        builder.Services.AddSingleton<IWebhookNotificationHandler>(recording);
        builder.Services.AddWebhooks(o =>
        {
            o.AllowHttp = true;
            o.Http.AllowedAddresses.Add("127.0.0.1");
        });
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            receiver.Respond(_ => ReceiverAnswer.Status(410));
            var endpoints = host.Services.GetRequiredService<IWebhookEndpoints>();
            var webhook = (await endpoints.CreateAsync(new WebhookDefinition { Name = "gone", Url = receiver.UrlFor("/hook"), EventTypes = ["*"] })).Webhook;

            await host.Services.GetRequiredService<IWebhookPublisher>().PublishAsync(WebhookEvent.FromJson("evt_gone", "order.created", "{}"));

            await Eventually.HoldsAsync(
                () => Task.FromResult(recording.Received.Count(n => n.WebhookId == webhook.Id && n.Kind == WebhookNotificationKind.WebhookDisabled) == 2),
                () => $"both handlers told of the disable; received {string.Join(", ", recording.Kinds(webhook.Id))}");
            Assert.That(ScopedHandler.Scopes, Is.Not.Empty, "the scoped handler was made in a scope");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Test]
    public async Task SlowHandler_OfAFailedMessage_HoldsNoDeliveryWorker()
    {
        var slow = new GatedHandler(WebhookNotificationKind.MessageFailed);
        await using var host = await EngineHost.StartAsync(
            o =>
            {
                o.Dispatcher.MaxConcurrency = 1; // One worker: a handler holding it would stop every delivery.
                o.Retry.Schedule = [];
            },
            s => s.AddSingleton<IWebhookNotificationHandler>(slow));
        try
        {
            host.Receiver.Respond(r => r.Path == "/bad" ? ReceiverAnswer.Status(500) : ReceiverAnswer.Ok);
            var bad = (await host.CreateAsync("/bad", d => d with { EventTypes = ["bad.*"] })).Webhook;
            var good = (await host.CreateAsync("/good", d => d with { EventTypes = ["good.*"] })).Webhook;
            var failed = (await host.PublishAsync("evt_bad", "bad.thing")).MessageIds.Single();
            await host.WaitForMessageAsync(bad.Id, failed, static d => d.Message.Status == MessageStatus.Failed, "failed, its handler now waiting");
            await slow.Entered.Task.WaitAsync(Eventually.Deadline);

            var delivered = (await host.PublishAsync("evt_good", "good.thing")).MessageIds.Single();

            await host.WaitForMessageAsync(good.Id, delivered, static d => d.Message.Status == MessageStatus.Success, "delivered while the handler waits");
        }
        finally
        {
            slow.Release.TrySetResult();
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Stop_HandlersFinishWhatWasRaised_WhetherOrNotTheDispatcherRuns(bool dispatcherEnabled)
    {
        var slow = new SlowHandler();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.Configure<HostOptions>(static o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton<IWebhookNotificationHandler>(slow);
        builder.Services.AddWebhooks(o => o.Dispatcher.Enabled = dispatcherEnabled);
        var host = builder.Build();
        await host.StartAsync();
        var notifications = host.Services.GetRequiredService<Webhooks.Core.Internal.NotificationDispatcher>();
        for (var i = 0; i < 3; i++)
        {
            notifications.Raise(new WebhookNotification(WebhookNotificationKind.WebhookDisabled, $"wh_{i}", null, "test"));
        }

        await host.StopAsync();
        await ((IAsyncDisposable)host).DisposeAsync();

        Assert.That(slow.Completed, Is.EqualTo(new[] { "wh_0", "wh_1", "wh_2" }), "handled in order, none cancelled, before the host stopped");
    }

    // With the host's services stopped concurrently, the notification drain was done before the dispatcher's: a message
    // failed by the attempt still under way at the stop was raised after it, and the host stopped without handling it.
    [Test]
    public async Task StopConcurrently_MessageFailedByTheLastAttemptUnderWay_IsHandledBeforeTheHostStops()
    {
        var slow = new SlowHandler();
        await using var host = await EngineHost.StartAsync(
            o => o.Retry.Schedule = [],
            s => s.AddSingleton<IWebhookNotificationHandler>(slow)
                .Configure<HostOptions>(static o =>
                {
                    o.ServicesStopConcurrently = true;
                    o.ShutdownTimeout = TimeSpan.FromSeconds(30);
                }));
        using var gate = new ManualResetEventSlim();
        host.Receiver.Respond(_ =>
        {
            gate.Wait(Eventually.Deadline);
            return ReceiverAnswer.Status(500);
        });
        var webhook = (await host.CreateAsync()).Webhook;
        var id = (await host.PublishAsync("evt_last")).MessageIds[0];
        await host.Receiver.WaitForRequestsAsync(1, Eventually.Deadline);

        var stopping = host.Host.StopAsync();
        gate.Set();
        await stopping;

        Assert.That(slow.Completed, Is.EqualTo(new[] { webhook.Id }), $"MessageFailed of {id} handled before the host stopped");
    }

    // Disposal cancelled the handlers, then waited for them without limit: one that ignores its token held the host's
    // disposal for ever, after its shutdown timeout had passed.
    [Test]
    public async Task Dispose_AfterShutdownTimeout_HandlerIgnoringItsTokenDoesNotHoldTheContainer()
    {
        var stuck = new GatedHandler(WebhookNotificationKind.WebhookDisabled, ignoreCancellation: true);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<IWebhookNotificationHandler>(stuck);
        builder.Services.AddWebhooks(static o => o.Dispatcher.Enabled = false);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
            host.Services.GetRequiredService<Webhooks.Core.Internal.NotificationDispatcher>()
                .Raise(new WebhookNotification(WebhookNotificationKind.WebhookDisabled, "wh_1", null, "test"));
            await stuck.Entered.Task.WaitAsync(Eventually.Deadline);

            // The shutdown timeout is over at once: the handler's token is cancelled, and it goes on regardless.
            await host.StopAsync(new CancellationToken(canceled: true));
            await ((IAsyncDisposable)host).DisposeAsync().AsTask().WaitAsync(Eventually.Deadline);

            Assert.That(stuck.Release.Task.IsCompleted, Is.False, "disposed while the handler still ran");
        }
        finally
        {
            stuck.Release.TrySetResult();
        }
    }

    // The container refuses, in Dispose, a service that only disposes asynchronously.
    [Test]
    public void Dispose_SynchronousContainerThatMadeTheEndpoints_DoesNotThrow()
    {
        var provider = new ServiceCollection().AddLogging().AddWebhooks().Services.BuildServiceProvider();
        _ = provider.GetRequiredService<IWebhookEndpoints>();

        Assert.That(provider.Dispose, Throws.Nothing);
    }

    /// <summary>
    /// The handlers' loop starts with the first notification raised, from inside the host's work: a later handler saw
    /// that caller's ambient state for as long as the process ran, its TransactionScope (gone, or rolled back) included.
    /// </summary>
    [Test]
    public async Task FirstNotificationRaisedInACallersScope_HandlersSeeNoneOfItsAmbientState()
    {
        var seen = new ContextRecordingHandler();
        await using var provider = new ServiceCollection().AddLogging().AddWebhooks().Services
            .AddSingleton<IWebhookNotificationHandler>(seen).BuildServiceProvider();
        var dispatcher = provider.GetRequiredService<Webhooks.Core.Internal.NotificationDispatcher>();

        using (new System.Transactions.TransactionScope(System.Transactions.TransactionScopeAsyncFlowOption.Enabled))
        {
            CallerState.Value = "caller";
            dispatcher.Raise(new WebhookNotification(WebhookNotificationKind.WebhookDisabled, "wh_1", null, "first"));
            await dispatcher.DrainAsync(CancellationToken.None);
        }

        dispatcher.Raise(new WebhookNotification(WebhookNotificationKind.WebhookDisabled, "wh_1", null, "later"));
        await dispatcher.DrainAsync(CancellationToken.None);

        Assert.That(seen.Seen, Is.EqualTo(new[] { ("first", false, (string?)null), ("later", false, (string?)null) }));
    }

    private static readonly AsyncLocal<string?> CallerState = new();

    /// <summary>Notes, for each notification, whether its handler ran in an ambient transaction and what async-local state it saw.</summary>
    private sealed class ContextRecordingHandler : IWebhookNotificationHandler
    {
        public System.Collections.Concurrent.ConcurrentQueue<(string Reason, bool InTransaction, string? State)> Seen { get; } = new();

        public ValueTask HandleAsync(WebhookNotification notification, CancellationToken cancellationToken)
        {
            Seen.Enqueue((notification.Reason, System.Transactions.Transaction.Current is not null, CallerState.Value));
            return ValueTask.CompletedTask;
        }
    }

    [Test]
    public async Task Dispose_AfterDisposeAsync_DoesNotThrow()
    {
        var provider = new ServiceCollection().AddLogging().AddWebhooks().Services.BuildServiceProvider();
        var dispatcher = provider.GetRequiredService<Webhooks.Core.Internal.NotificationDispatcher>();
        await dispatcher.DisposeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(() => dispatcher.DisposeAsync().AsTask(), Throws.Nothing, "DisposeAsync twice");
            Assert.That(dispatcher.Dispose, Throws.Nothing, "Dispose after DisposeAsync");
        });
        await provider.DisposeAsync();
    }

    // A message cancelled while its last attempt was under way stays cancelled in the log, yet the failed attempt
    // raised MessageFailed ("undeliverable") and counted in webhooks.messages.failed.
    [Test]
    public async Task CancelledDuringItsLastAttempt_NoMessageFailedNotificationNorCount()
    {
        await using var host = await EngineHost.StartAsync(o => o.Retry.Schedule = []);
        using var failed = new MetricCollector<long>(host.Host.Services.GetRequiredService<IMeterFactory>(), "Webhooks.Core", "webhooks.messages.failed");
        using var gate = new ManualResetEventSlim();
        host.Receiver.Respond(_ =>
        {
            gate.Wait(Eventually.Deadline);
            return ReceiverAnswer.Status(500);
        });
        var webhook = (await host.CreateAsync()).Webhook;
        var id = (await host.PublishAsync("evt_cancelled")).MessageIds[0];
        await host.Receiver.WaitForRequestsAsync(1, Eventually.Deadline);

        await host.Log.CancelAsync(webhook.Id, id);
        gate.Set();

        var detail = await host.WaitForMessageAsync(webhook.Id, id, d => d.Attempts.Count == 1, "the attempt logged");
        await host.NotificationsSettledAsync();
        Assert.Multiple(() =>
        {
            Assert.That(detail.Message.Status, Is.EqualTo(MessageStatus.Cancelled));
            Assert.That(host.Notifications.Kinds(webhook.Id), Has.No.Member(WebhookNotificationKind.MessageFailed));
            Assert.That(failed.GetMeasurementSnapshot().Sum(m => m.Value), Is.Zero);
        });
    }

    [Test]
    public async Task LastAttemptFails_MessageFailedIsRaisedAndCountedOnce()
    {
        await using var host = await EngineHost.StartAsync(o => o.Retry.Schedule = []);
        using var failed = new MetricCollector<long>(host.Host.Services.GetRequiredService<IMeterFactory>(), "Webhooks.Core", "webhooks.messages.failed");
        host.Receiver.Respond(_ => ReceiverAnswer.Status(500));
        var webhook = (await host.CreateAsync()).Webhook;
        var id = (await host.PublishAsync("evt_failed")).MessageIds[0];

        await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Failed, "failed");
        await host.WaitForNotificationAsync(webhook.Id, WebhookNotificationKind.MessageFailed);
        await host.NotificationsSettledAsync();
        Assert.Multiple(() =>
        {
            Assert.That(host.Notifications.Received.Where(n => n.WebhookId == webhook.Id).Select(n => (n.Kind, n.MessageId)), Is.EqualTo(new[] { (WebhookNotificationKind.MessageFailed, (string?)id) }));
            Assert.That(failed.GetMeasurementSnapshot().Sum(m => m.Value), Is.EqualTo(1));
        });
    }

    /// <summary>Takes a while over each notification, as an e-mail would.</summary>
    private sealed class SlowHandler : IWebhookNotificationHandler
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Completed { get; } = new();

        public async ValueTask HandleAsync(WebhookNotification notification, CancellationToken cancellationToken)
        {
            await Task.Delay(100, cancellationToken);
            Completed.Enqueue(notification.WebhookId);
        }
    }

    /// <summary>A scoped handler: records into the singleton recorder, noting each scope it was made in.</summary>
    private sealed class ScopedHandler(RecordingNotificationHandler recording, IServiceProvider scope) : IWebhookNotificationHandler
    {
        public static readonly System.Collections.Concurrent.ConcurrentBag<IServiceProvider> Scopes = [];

        public ValueTask HandleAsync(WebhookNotification notification, CancellationToken cancellationToken)
        {
            Scopes.Add(scope);
            return recording.HandleAsync(notification, cancellationToken);
        }
    }

    /// <summary>Waits, on notifications of one kind, until released.</summary>
    private sealed class GatedHandler(WebhookNotificationKind kind, bool ignoreCancellation = false) : IWebhookNotificationHandler
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask HandleAsync(WebhookNotification notification, CancellationToken cancellationToken)
        {
            if (notification.Kind == kind)
            {
                Entered.TrySetResult();
                await Release.Task.WaitAsync(ignoreCancellation ? CancellationToken.None : cancellationToken);
            }
        }
    }
}
