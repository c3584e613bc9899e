using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Engine;

/// <summary>The dispatcher keeps delivering through store failures, orphaned messages and old messages the user retries.</summary>
[TestFixture]
public sealed class DispatcherResilienceTests
{
    [Test]
    public async Task StoreFailsReadingAWebhook_DispatcherGoesOn_AndDeliversTheMessageOnItsNextLease()
    {
        var store = FailingStore.Create(new InMemoryWebhookStore(), nameof(IWebhookStore.GetConfigAsync), failures: 1);
        await using var host = await EngineHost.StartAsync(
            o => o.Dispatcher.LeaseDuration = TimeSpan.FromSeconds(30),
            services => services.Replace(ServiceDescriptor.Singleton(store)));
        var webhook = (await host.CreateAsync()).Webhook;
        FailingStore.Arm(store);

        var first = (await host.PublishAsync("evt_first")).MessageIds[0];
        await Eventually.HoldsAsync(() => Task.FromResult(FailingStore.Failed(store)), () => "the store's failure was not reached");
        var second = (await host.PublishAsync("evt_second")).MessageIds[0];
        await host.WaitForMessageAsync(webhook.Id, second, d => d.Message.Status == MessageStatus.Success, "a later message delivered");
        host.Time.Advance(TimeSpan.FromSeconds(31));
        await host.PublishAsync("evt_third"); // Wakes the dispatcher, which claims the first message again: its lease lapsed.

        var done = await host.WaitForMessageAsync(webhook.Id, first, d => d.Message.Status == MessageStatus.Success, "delivered once its lease lapsed");
        Assert.That(done.Attempts, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task MessageStoredForADeletedWebhook_IsDeleted_NotClaimedForever()
    {
        await using var host = await EngineHost.StartAsync();
        var store = host.Host.Services.GetRequiredService<IWebhookStore>();
        var webhook = (await host.CreateAsync()).Webhook;
        var kept = (await host.PublishAsync("evt_kept")).MessageIds[0];
        await host.Endpoints.DeleteAsync(webhook.Id);

        // What a publish that routed to the webhook just before the delete stores just after it.
        var late = new DeliveryMessage
        {
            Id = "msg_late", WebhookId = webhook.Id, EventId = "evt_late", EventType = "order.created", Payload = "{}"u8.ToArray(),
            Status = MessageStatus.Created, CreatedAt = EngineHost.Start, NextAttemptAt = EngineHost.Start,
        };
        await store.EnqueueAsync([late], CancellationToken.None);
        var other = (await host.CreateAsync("/other")).Webhook;
        var wake = (await host.PublishAsync("evt_wake")).MessageIds[0]; // Publishing wakes the dispatcher.
        await host.WaitForMessageAsync(other.Id, wake, d => d.Message.Status == MessageStatus.Success, "the other webhook's message delivered");

        await Eventually.HoldsAsync(async () => await store.GetMessageAsync("msg_late", CancellationToken.None) is null, () => "the late message is still stored");
        Assert.That(await store.GetMessageAsync(kept, CancellationToken.None), Is.Null, "deleted with its webhook");
        Assert.That(host.Receiver.Requests.Select(r => r.Path), Is.EqualTo(new[] { "/hook", "/other" }), "the late message was never sent");
    }

    [Test]
    public async Task RetryRequested_AfterTheMaximumAge_IsAttemptedOnce()
    {
        await using var host = await EngineHost.StartAsync(o => o.Retry.Schedule = []);
        host.Receiver.Respond(_ => ReceiverAnswer.Status(500));
        var webhook = (await host.CreateAsync()).Webhook;
        var id = (await host.PublishAsync("evt_old")).MessageIds[0];
        await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Failed, "failed after its one attempt");

        host.Time.Advance(TimeSpan.FromDays(11));
        host.Receiver.Respond(_ => ReceiverAnswer.Ok);
        await host.Log.RetryAsync(webhook.Id, id);

        var done = await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Success, "delivered by the retry");
        Assert.That(done.Attempts, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Recovered_AfterTheMaximumAge_IsAttempted_AndFailsAgainWhenItFails()
    {
        await using var host = await EngineHost.StartAsync(o => o.Retry.Schedule = []);
        host.Receiver.Respond(_ => ReceiverAnswer.Status(500));
        var webhook = (await host.CreateAsync()).Webhook;
        var id = (await host.PublishAsync("evt_outage")).MessageIds[0];
        await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Failed, "failed after its one attempt");

        host.Time.Advance(TimeSpan.FromDays(11));
        Assert.That(await host.Log.RecoverAsync(webhook.Id, EngineHost.Start), Is.EqualTo(1));

        var again = await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Failed && d.Attempts.Count == 2, "attempted, and failed again");
        Assert.That(again.Message.StatusReason, Does.Not.Contain("not delivered within"), "expired without an attempt");
    }

    [Test]
    public async Task MaximumAgeAsLongAsItGets_DoesNotOverflow()
    {
        await using var host = await EngineHost.StartAsync(o => o.Retry.MaxAge = TimeSpan.MaxValue);
        var webhook = (await host.CreateAsync()).Webhook;
        var id = (await host.PublishAsync("evt_forever")).MessageIds[0];

        await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Success, "delivered");
    }

    /// <summary>A store that throws from one of its methods, a set number of times once armed.</summary>
    public class FailingStore : DispatchProxy
    {
        private IWebhookStore _inner = null!;
        private string _method = string.Empty;
        private int _failures;
        private bool _armed;
        private bool _failed;

        public static IWebhookStore Create(IWebhookStore inner, string method, int failures)
        {
            var store = DispatchProxy.Create<IWebhookStore, FailingStore>();
            var proxy = (FailingStore)(object)store;
            (proxy._inner, proxy._method, proxy._failures) = (inner, method, failures);
            return store;
        }

        public static void Arm(IWebhookStore store) => Volatile.Write(ref ((FailingStore)(object)store)._armed, true);

        public static bool Failed(IWebhookStore store) => Volatile.Read(ref ((FailingStore)(object)store)._failed);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (Volatile.Read(ref _armed) && targetMethod!.Name == _method && Interlocked.Decrement(ref _failures) >= 0)
            {
                Volatile.Write(ref _failed, true);
                throw new IOException("The store is unreachable.");
            }

            try
            {
                return targetMethod!.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }
    }
}
