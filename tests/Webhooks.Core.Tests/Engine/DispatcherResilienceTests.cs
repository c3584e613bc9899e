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
        int armed = 0, failed = 0;
        var store = InterceptedStore.Create(new InMemoryWebhookStore(), (method, _) =>
        {
            if (method == nameof(IWebhookStore.GetConfigAsync) && Interlocked.Exchange(ref armed, 0) == 1)
            {
                Interlocked.Exchange(ref failed, 1);
                throw new IOException("The store is unreachable.");
            }
        });
        await using var host = await EngineHost.StartAsync(
            o => o.Dispatcher.LeaseDuration = TimeSpan.FromSeconds(30),
            services => services.Replace(ServiceDescriptor.Singleton(store)));
        var webhook = (await host.CreateAsync()).Webhook;
        Interlocked.Exchange(ref armed, 1); // The next read of a webhook is the dispatcher's, for the first message.

        var first = (await host.PublishAsync("evt_first")).MessageIds[0];
        await Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref failed) == 1), () => "the store's failure was not reached");
        var second = (await host.PublishAsync("evt_second")).MessageIds[0];
        await host.WaitForMessageAsync(webhook.Id, second, d => d.Message.Status == MessageStatus.Success, "a later message delivered");
        host.Time.Advance(TimeSpan.FromSeconds(31));
        await host.PublishAsync("evt_third"); // Wakes the dispatcher, which claims the first message again: its lease lapsed.

        var done = await host.WaitForMessageAsync(webhook.Id, first, d => d.Message.Status == MessageStatus.Success, "delivered once its lease lapsed");
        Assert.That(done.Attempts, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task MessageStoredForADeletedWebhook_IsGivenUp_NotClaimedForever()
    {
        await using var host = await EngineHost.StartAsync();
        var store = host.Host.Services.GetRequiredService<IWebhookStore>();
        var webhook = (await host.CreateAsync()).Webhook;
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

        DeliveryMessage? given = null;
        await Eventually.HoldsAsync(
            async () => (given = await store.GetMessageAsync("msg_late", CancellationToken.None)) is { IsFinished: true },
            () => $"the late message is still {given?.Status}");
        Assert.That((given!.Status, given.StatusReason), Is.EqualTo((MessageStatus.Failed, "Undeliverable: its webhook was deleted.")));
        Assert.That(host.Receiver.Requests.Select(r => r.Path), Is.EqualTo(new[] { "/other" }), "the late message was never sent");
        await host.NotificationsSettledAsync();
        Assert.That(host.Notifications.Kinds(webhook.Id), Is.Empty, "nobody to notify about a deleted webhook");
    }

    // Webhook ids are global and may be chosen: once a tenant deleted its webhook, another tenant may create one with the
    // same id. A message routed to the deleted webhook and stored after the new one was created went to the new webhook's
    // URL, signed with its secret: one tenant's event delivered to another tenant's endpoint.
    [Test]
    public async Task MessageStoredForADeletedWebhook_IdTakenByAnotherTenant_IsGivenUpNotSentToIt()
    {
        await using var host = await EngineHost.StartAsync();
        var store = host.Host.Services.GetRequiredService<IWebhookStore>();
        var webhook = (await host.CreateAsync("/first", d => d with { Id = "wh-shared", TenantId = "tenant-a" })).Webhook;
        await host.Endpoints.DeleteAsync(webhook.Id);
        var taken = (await host.CreateAsync("/second", d => d with { Id = webhook.Id, TenantId = "tenant-b" })).Webhook;

        var late = new DeliveryMessage
        {
            Id = "msg_late", WebhookId = webhook.Id, TenantId = "tenant-a", EventId = "evt_late", EventType = "order.created",
            Payload = "{}"u8.ToArray(), Status = MessageStatus.Created, CreatedAt = EngineHost.Start, NextAttemptAt = EngineHost.Start,
        };
        await store.EnqueueAsync([late], CancellationToken.None);
        var wake = (await host.PublishAsync("evt_wake", tenantId: "tenant-b")).MessageIds[0];
        await host.WaitForMessageAsync(taken.Id, wake, d => d.Message.Status == MessageStatus.Success, "the new webhook's own message delivered");

        DeliveryMessage? given = null;
        await Eventually.HoldsAsync(
            async () => (given = await store.GetMessageAsync("msg_late", CancellationToken.None)) is { IsFinished: true },
            () => $"the late message is still {given?.Status}");
        Assert.That((given!.Status, given.StatusReason, given.AttemptCount), Is.EqualTo((MessageStatus.Failed, "Undeliverable: its webhook was deleted.", 0)));
        Assert.That(host.Receiver.Requests.Select(r => r.Path), Is.EqualTo(new[] { "/second" }), "only the new webhook's own message was sent to it");
    }

    [Test]
    public async Task RetryRequested_AfterTheMaximumAge_IsAttemptedOnce()
    {
        await using var host = await EngineHost.StartAsync(o => o.Retry.Schedule = []);
        var (webhookId, id) = await FailedElevenDaysAgoAsync(host, "evt_old");

        host.Receiver.Respond(_ => ReceiverAnswer.Ok);
        await host.Log.RetryAsync(webhookId, id);

        var done = await host.WaitForMessageAsync(webhookId, id, d => d.Message.Status == MessageStatus.Success, "delivered by the retry");
        Assert.That(done.Attempts, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Recovered_AfterTheMaximumAge_IsAttempted_AndFailsAgainWhenItFails()
    {
        await using var host = await EngineHost.StartAsync(o => o.Retry.Schedule = []);
        var (webhookId, id) = await FailedElevenDaysAgoAsync(host, "evt_outage");

        Assert.That(await host.Log.RecoverAsync(webhookId, EngineHost.Start), Is.EqualTo(1));

        var again = await host.WaitForMessageAsync(webhookId, id, d => d.Message.Status == MessageStatus.Failed && d.Attempts.Count == 2, "attempted, and failed again");
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

    [Test]
    public async Task RetryRequested_WhileTheWebhookIsDisabled_IsHeldThenAttemptedOnceEnabled()
    {
        await using var host = await EngineHost.StartAsync(o => o.Retry.Schedule = []);
        host.Receiver.Respond(_ => ReceiverAnswer.Status(500));
        var webhook = (await host.CreateAsync()).Webhook;
        var id = (await host.PublishAsync("evt_held_retry")).MessageIds[0];
        await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Failed, "failed after its one attempt");
        await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Disabled });
        host.Receiver.Respond(_ => ReceiverAnswer.Ok);

        var retried = await host.Log.RetryAsync(webhook.Id, id);
        var held = await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.NextAttemptAt is null, "held while the webhook is disabled");
        await host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Enabled });
        var done = await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Success, "delivered once enabled");

        Assert.Multiple(() =>
        {
            Assert.That(retried.Status, Is.EqualTo(MessageStatus.Retrying));
            Assert.That(held.Message.Status, Is.EqualTo(MessageStatus.Retrying));
            Assert.That(held.Attempts, Has.Count.EqualTo(1), "no attempt while disabled");
            Assert.That(done.Attempts, Has.Count.EqualTo(2));
        });
    }

    // A recovery after a long outage is of messages past the maximum age, and the webhook is often not sending yet (still
    // disabled, or Pending while it is verified again): the recovered messages are held. Housekeeping failed every held
    // message past the maximum age, the user's retries too, so they were Failed again ("not delivered within 10 days.")
    // within a minute, unattempted, before the webhook sent again.
    [Test]
    public async Task Recovered_AfterTheMaximumAge_WhileTheWebhookIsDisabled_OutlivesHousekeepingAndIsAttemptedOnceEnabled()
    {
        await using var host = await EngineHost.StartAsync(o => o.Retry.Schedule = []);
        var store = host.Host.Services.GetRequiredService<IWebhookStore>();
        var (webhookId, id) = await FailedElevenDaysAgoAsync(host, "evt_outage_held");
        await host.Endpoints.UpdateAsync(webhookId, new WebhookUpdate { State = WebhookState.Disabled });
        host.Receiver.Respond(_ => ReceiverAnswer.Ok);
        Assert.That(await host.Log.RecoverAsync(webhookId, EngineHost.Start), Is.EqualTo(1));
        await host.WaitForMessageAsync(webhookId, id, d => d.Message.NextAttemptAt is null, "held while the webhook is disabled");

        // Held as long, but never retried: housekeeping fails it, which shows that it ran over the recovered one too.
        var unasked = new DeliveryMessage
        {
            Id = "msg_unasked", WebhookId = webhookId, EventId = "evt_unasked", EventType = "order.created", Payload = "{}"u8.ToArray(),
            Status = MessageStatus.Created, CreatedAt = EngineHost.Start, NextAttemptAt = null,
        };
        await store.EnqueueAsync([unasked], CancellationToken.None);
        host.Time.Advance(new DispatcherOptions().HousekeepingInterval);
        await host.WaitForMessageAsync(webhookId, unasked.Id, d => d.Message.Status == MessageStatus.Failed, "failed by housekeeping");

        var held = await host.Log.GetAsync(webhookId, id);
        Assert.That((held!.Message.Status, held.Message.StatusReason), Is.EqualTo((MessageStatus.Retrying, MessageLifecycle.RetryRequestedReason)));
        await host.Endpoints.UpdateAsync(webhookId, new WebhookUpdate { State = WebhookState.Enabled });
        var done = await host.WaitForMessageAsync(webhookId, id, d => d.Message.Status == MessageStatus.Success, "delivered once enabled");
        Assert.That(done.Attempts, Has.Count.EqualTo(2));
    }

    /// <summary>Publishes a message that fails its only attempt (the host has no retries), then lets 11 days pass: past the maximum age.</summary>
    private static async Task<(string WebhookId, string MessageId)> FailedElevenDaysAgoAsync(EngineHost host, string eventId)
    {
        host.Receiver.Respond(_ => ReceiverAnswer.Status(500));
        var webhook = (await host.CreateAsync()).Webhook;
        var id = (await host.PublishAsync(eventId)).MessageIds[0];
        await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Failed, "failed after its one attempt");
        host.Time.Advance(TimeSpan.FromDays(11));
        return (webhook.Id, id);
    }

    [Test]
    public async Task RetryScheduledAtTheMaximumAgeItself_IsAttempted()
    {
        await using var host = await EngineHost.StartAsync(o =>
        {
            o.Retry.Schedule = [TimeSpan.FromMinutes(10)];
            o.Retry.MaxAge = TimeSpan.FromMinutes(10);
        });
        host.Receiver.Respond(_ => ReceiverAnswer.Status(500));
        var webhook = (await host.CreateAsync()).Webhook;
        var id = (await host.PublishAsync("evt_edge")).MessageIds[0];
        var first = await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Retrying, "first attempt failed");
        Assert.That(first.Message.NextAttemptAt, Is.EqualTo(first.Message.CreatedAt + TimeSpan.FromMinutes(10)));

        host.Receiver.Respond(_ => ReceiverAnswer.Ok);
        host.Time.Advance(TimeSpan.FromMinutes(10));

        var done = await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.IsFinished, "finished");
        Assert.That((done.Message.Status, done.Attempts.Count), Is.EqualTo((MessageStatus.Success, 2)), done.Message.StatusReason);
    }

    // The claim that takes a retry comes after it is due (a timer fires late, a busy dispatcher claims in turn): the
    // message's age was counted at the claim, so the last retry the schedule placed at or just before the maximum age
    // was given up unattempted. Its age is now counted at the time it was due, for a claim within the margin (a
    // hundredth of the maximum age, 6 s here); a dispatcher that was down for days expires it, whatever its due time.
    [TestCase(1, MessageStatus.Success, 2, TestName = "RetryDueAtTheMaximumAge_ClaimedAMomentLate_IsAttemptedNotExpired")]
    [TestCase(2 * 86_400_000, MessageStatus.Failed, 1, TestName = "RetryDueAtTheMaximumAge_ClaimedDaysLater_Expires")]
    public async Task RetryDueAtTheMaximumAge_ClaimedLate(int lateByMilliseconds, MessageStatus expected, int attempts)
    {
        await using var host = await EngineHost.StartAsync(o =>
        {
            o.Retry.Schedule = [TimeSpan.FromMinutes(10)];
            o.Retry.MaxAge = TimeSpan.FromMinutes(10);
        });
        host.Receiver.Respond(_ => ReceiverAnswer.Status(500));
        var webhook = (await host.CreateAsync()).Webhook;
        var id = (await host.PublishAsync("evt_late_claim")).MessageIds[0];
        await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Retrying, "first attempt failed");

        host.Receiver.Respond(_ => ReceiverAnswer.Ok);
        host.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromMilliseconds(lateByMilliseconds));

        var done = await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.IsFinished, "finished");
        Assert.That((done.Message.Status, done.Attempts.Count), Is.EqualTo((expected, attempts)), done.Message.StatusReason);
    }

    // A store that failed one CompleteAsync (a transient error) lost the outcome of a delivered message: the outcome
    // writer logged and dropped the batch, the lease lapsed, and the message was delivered a second time with the first
    // attempt missing from its log. The write is now made again.
    [Test]
    public async Task StoreFailsOnceWritingASuccess_MessageIsNotDeliveredAgain_AndItsAttemptIsLogged()
    {
        int armed = 1, failed = 0;
        var store = InterceptedStore.Create(new InMemoryWebhookStore(), (method, args) =>
        {
            if (method == nameof(IWebhookStore.CompleteAsync)
                && args[0] is IReadOnlyList<MessageOutcome> outcomes && outcomes.Any(static o => o.Attempt is not null)
                && Interlocked.Exchange(ref armed, 0) == 1)
            {
                Interlocked.Exchange(ref failed, 1);
                throw new IOException("The store is unreachable for a moment.");
            }
        });
        await using var host = await EngineHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton(store)));
        var webhook = (await host.CreateAsync()).Webhook;

        var id = (await host.PublishAsync("evt_once")).MessageIds.Single();
        await Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref failed) == 1), () => "the failing write was not reached");

        // Within the lease (time for the write to be made again), then past it: a message whose outcome was lost is
        // claimed again by the claim after the lease lapsed.
        host.Time.Advance(TimeSpan.FromSeconds(5));
        var wake = (await host.PublishAsync("evt_wake")).MessageIds.Single();
        await host.WaitForMessageAsync(webhook.Id, wake, d => d.Message.Status == MessageStatus.Success, "a later message delivered");
        host.Time.Advance(new DispatcherOptions().LeaseDuration);
        var wakeAgain = (await host.PublishAsync("evt_wake_again")).MessageIds.Single();
        await host.WaitForMessageAsync(webhook.Id, wakeAgain, d => d.Message.Status == MessageStatus.Success, "a message delivered after the lease");
        var done = await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Success, "delivered");

        Assert.Multiple(() =>
        {
            Assert.That(host.Receiver.Requests.Count(r => r.Headers.TryGetValue("webhook-id", out var v) && v == id), Is.EqualTo(1), "requests sent for the message");
            Assert.That(done.Attempts.Select(a => a.Timestamp), Is.EqualTo(new[] { EngineHost.Start }), "the attempt made at the start is logged");
        });
    }

    // A transport that throws breaks its contract (every endpoint behaviour is a result). Its attempt used to vanish: not
    // logged, not counted in health, and the message made again each time its lease lapsed, with no backoff. It is now a
    // failed attempt naming the exception, retried on the schedule.
    [TestCase(true)]
    [TestCase(false)]
    public async Task TransportThrows_AttemptIsLoggedAsFailed_AndRetriedOnTheSchedule(bool beforeItsFirstAwait)
    {
        var throwing = new ThrowingOnceTransport(beforeItsFirstAwait);
        await using var host = await EngineHost.StartAsync(services: s =>
            s.Replace(ServiceDescriptor.Singleton<IDeliveryTransport>(sp => throwing.Around(ActivatorUtilities.CreateInstance<Webhooks.Core.Internal.HttpDeliveryTransport>(sp)))));

        var failed = await FirstAttemptFailsThenTheRetryDeliversAsync(host, "evt_thrown");

        Assert.That(failed.Attempts[0].Error, Is.EqualTo("The delivery transport failed: InvalidOperationException: The transport is broken."));
    }

    [Test]
    public async Task TransportThrowsDuringTheHandshake_WebhookIsRefusedNamingTheFailure()
    {
        var throwing = new ThrowingOnceTransport(beforeItsFirstAwait: false);
        await using var host = await EngineHost.StartAsync(services: s =>
            s.Replace(ServiceDescriptor.Singleton<IDeliveryTransport>(sp => throwing.Around(ActivatorUtilities.CreateInstance<Webhooks.Core.Internal.HttpDeliveryTransport>(sp)))));

        var webhook = (await host.CreateAsync(change: d => d with { VerificationMode = VerificationMode.Challenge })).Webhook;
        var refused = await host.WaitForWebhookAsync(webhook.Id, w => w.Status != WebhookStatus.Pending, "its handshake judged");

        Assert.That(
            (refused.State, refused.Status, refused.StatusReason),
            Is.EqualTo((WebhookState.Disabled, WebhookStatus.Warning, "The delivery transport failed: InvalidOperationException: The transport is broken.")));
    }

    // A signer that throws (a custom one whose key store failed for a moment) failed nothing: the attempt was given up
    // before the transport saw it, unlogged and uncounted, and the message sat leased until the lease lapsed, to be made
    // again each lease, with no backoff. It is a failed attempt naming the exception, retried on the schedule.
    [Test]
    public async Task SignerThrows_AttemptIsLoggedAsFailed_AndRetriedOnTheSchedule()
    {
        var signer = new ThrowingOnceSigner(new StandardWebhooksSigner());
        await using var host = await EngineHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<IWebhookSigner>(signer)));

        var failed = await FirstAttemptFailsThenTheRetryDeliversAsync(host, "evt_unsigned");

        Assert.Multiple(() =>
        {
            Assert.That(failed.Attempts[0].Error, Is.EqualTo("Signing failed: InvalidOperationException: The key store is down."));
            Assert.That(host.Receiver.Requests, Has.Count.EqualTo(1), "nothing was sent unsigned");
        });
    }

    /// <summary>
    /// Publishes one event to a new webhook, checks that its first attempt failed with no answer and was retried on the
    /// schedule, and that the retry delivered it; returns the message as its first attempt left it.
    /// </summary>
    private static async Task<DeliveryMessageDetail> FirstAttemptFailsThenTheRetryDeliversAsync(EngineHost host, string eventId)
    {
        var webhook = (await host.CreateAsync()).Webhook;
        var id = (await host.PublishAsync(eventId)).MessageIds.Single();
        var failed = await host.WaitForMessageAsync(webhook.Id, id, d => d.Attempts.Count == 1, "its first attempt logged");
        host.Time.Advance(new RetryOptions().BaseDelay);
        var done = await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Success, "delivered by the retry");

        Assert.Multiple(() =>
        {
            Assert.That(failed.Message.Status, Is.EqualTo(MessageStatus.Retrying));
            Assert.That(failed.Message.NextAttemptAt, Is.EqualTo(EngineHost.Start + new RetryOptions().BaseDelay));
            Assert.That(failed.Attempts[0].StatusCode, Is.Null);
            Assert.That(done.Attempts.Select(static a => a.Succeeded), Is.EqualTo(new[] { false, true }));
        });
        return failed;
    }

    /// <summary>A signer that throws on its first call, and then signs as the inner one does.</summary>
    private sealed class ThrowingOnceSigner(IWebhookSigner inner) : IWebhookSigner
    {
        private int _thrown;

        public IReadOnlyCollection<string> HeaderNames => inner.HeaderNames;

        public void AddSignatureHeaders(
            string messageId, DateTimeOffset timestamp, ReadOnlySpan<byte> body, IReadOnlyList<WebhookSecret> secrets, ICollection<KeyValuePair<string, string>> headers)
        {
            if (Interlocked.Exchange(ref _thrown, 1) == 0)
            {
                throw new InvalidOperationException("The key store is down.");
            }

            inner.AddSignatureHeaders(messageId, timestamp, body, secrets, headers);
        }
    }

    /// <summary>A transport that throws on its first request, before or after its first await, and then sends as the inner one does.</summary>
    private sealed class ThrowingOnceTransport(bool beforeItsFirstAwait)
    {
        private readonly bool _beforeItsFirstAwait = beforeItsFirstAwait;
        private int _thrown;

        public IDeliveryTransport Around(IDeliveryTransport inner) => new Sending(this, inner);

        private sealed class Sending(ThrowingOnceTransport owner, IDeliveryTransport inner) : IDeliveryTransport
        {
            public ValueTask<DeliveryResult> SendAsync(DeliveryRequest request, CancellationToken cancellationToken)
            {
                if (Interlocked.Exchange(ref owner._thrown, 1) == 1)
                {
                    return inner.SendAsync(request, cancellationToken);
                }

                return owner._beforeItsFirstAwait ? throw Broken() : ThrowLaterAsync();
            }

            private static async ValueTask<DeliveryResult> ThrowLaterAsync()
            {
                await Task.Yield();
                throw Broken();
            }

            private static InvalidOperationException Broken() => new("The transport is broken.");
        }
    }
}
