using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Webhooks.Core.Tests.Engine;

/// <summary>
/// What happens to a message between its claim and the end of its attempt, when the user or the receiver changes
/// something meanwhile: an attempt waiting for its webhook's slot reads its message and webhook again before it is
/// made, and an attempt under way keeps its lease, so that it is the only one and its outcome is recorded.
/// </summary>
[TestFixture]
public sealed class ClaimedAttemptTests
{
    [Test]
    public async Task UrlAndHeadersChangedWhileWaitingForTheSlot_AttemptUsesThem()
    {
        await using var rig = await Rig.StartAsync();
        var webhook = (await rig.Host.CreateAsync("/old", d => d with { Headers = new Dictionary<string, string> { ["x-tenant"] = "old" } })).Webhook;
        var (first, _) = await rig.OneInFlightOneWaitingAsync();

        var newUrl = rig.Host.Receiver.UrlFor("/new");
        await rig.Host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { Url = newUrl, Headers = new Dictionary<string, string> { ["x-tenant"] = "new" } });
        first.Respond(200);
        var second = await rig.Transport.NextAsync();
        second.Respond(200);

        Assert.Multiple(() =>
        {
            Assert.That(second.Request.Url, Is.EqualTo(newUrl));
            Assert.That(second.Request.Headers.Single(h => h.Key == "x-tenant").Value, Is.EqualTo("new"));
        });
    }

    [Test]
    public async Task DisabledWhileWaitingForTheSlot_MessageIsHeldUntilEnabled()
    {
        await using var rig = await Rig.StartAsync();
        var webhook = (await rig.Host.CreateAsync()).Webhook;
        var (first, waiting) = await rig.OneInFlightOneWaitingAsync();

        await rig.Host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Disabled });
        first.Respond(200);
        var held = await rig.Host.WaitForMessageAsync(webhook.Id, waiting, d => d.Message.NextAttemptAt is null, "held");
        Assert.That((held.Message.Status, held.Attempts.Count, rig.Transport.SentFor(waiting)), Is.EqualTo((MessageStatus.Created, 0, 0)));

        await rig.Host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Enabled });
        (await rig.Transport.NextAsync()).Respond(200);
        await rig.Host.WaitForMessageAsync(webhook.Id, waiting, d => d.Message.Status == MessageStatus.Success, "delivered once enabled");
    }

    [Test]
    public async Task HeldPastTheMaximumAge_FailsNamingTheAgeInItsUnit()
    {
        await using var rig = await Rig.StartAsync(more: o => o.Retry.MaxAge = TimeSpan.FromHours(2));
        var webhook = (await rig.Host.CreateAsync()).Webhook;
        var (first, waiting) = await rig.OneInFlightOneWaitingAsync();
        await rig.Host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Disabled });
        first.Respond(200);
        await rig.Host.WaitForMessageAsync(webhook.Id, waiting, d => d.Message.NextAttemptAt is null, "held");

        rig.Host.Time.Advance(TimeSpan.FromHours(3));

        var failed = await rig.Host.WaitForMessageAsync(webhook.Id, waiting, d => d.Message.Status == MessageStatus.Failed, "expired");
        Assert.That(failed.Message.StatusReason, Is.EqualTo("Undeliverable: not delivered within 2 hours."));
    }

    [Test]
    public async Task DeletedWhileWaitingForTheSlot_MessageIsNotSent()
    {
        await using var rig = await Rig.StartAsync();
        var webhook = (await rig.Host.CreateAsync()).Webhook;
        var (first, waiting) = await rig.OneInFlightOneWaitingAsync();

        Assert.That(await rig.Host.Endpoints.DeleteAsync(webhook.Id), Is.True);
        first.Respond(200);
        await Eventually.HoldsAsync(() => Task.FromResult(rig.Calls.RenewalsOf(waiting) > 0), () => "the waiting attempt looked at its lease again");

        await rig.Host.Host.StopAsync();
        Assert.That(rig.Transport.SentFor(waiting), Is.Zero);
    }

    [Test]
    public async Task CancelledWhileWaitingForTheSlot_MessageIsNotSentAndStaysCancelled()
    {
        await using var rig = await Rig.StartAsync();
        var webhook = (await rig.Host.CreateAsync()).Webhook;
        var (first, waiting) = await rig.OneInFlightOneWaitingAsync();

        await rig.Host.Log.CancelAsync(webhook.Id, waiting);
        first.Respond(200);
        await Eventually.HoldsAsync(() => Task.FromResult(rig.Calls.Completed.Contains(waiting)), () => "the waiting attempt released its lease");

        var detail = (await rig.Host.Log.GetAsync(webhook.Id, waiting))!;
        Assert.That((detail.Message.Status, detail.Attempts.Count, rig.Transport.SentFor(waiting)), Is.EqualTo((MessageStatus.Cancelled, 0, 0)));
    }

    [Test]
    public async Task GoneWhileAnotherWaitsForTheSlot_NothingMoreIsSentToTheEndpoint()
    {
        await using var rig = await Rig.StartAsync();
        var webhook = (await rig.Host.CreateAsync()).Webhook;
        var (first, waiting) = await rig.OneInFlightOneWaitingAsync();

        first.Respond(410);
        await rig.Host.WaitForWebhookAsync(webhook.Id, w => w.Status == WebhookStatus.Error, "Error after 410 Gone");
        await rig.Host.WaitForMessageAsync(webhook.Id, waiting, d => d.Message.NextAttemptAt is null, "held");

        Assert.That(rig.Transport.Sent, Is.EqualTo(1));
    }

    [Test]
    public async Task RetryAskedDuringAnAttempt_NoSecondAttemptAtOnceAndEveryAttemptLogged()
    {
        await using var rig = await Rig.StartAsync(perWebhook: 4);
        var webhook = (await rig.Host.CreateAsync()).Webhook;
        var id = (await rig.Host.PublishAsync("evt_1")).MessageIds.Single();
        (await rig.Transport.NextAsync()).Respond(500);
        await rig.Host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Retrying, "first attempt failed");
        rig.Host.Time.Advance(TimeSpan.FromSeconds(5));
        var scheduled = await rig.Transport.NextAsync();

        var claims = rig.Calls.Claims;
        await rig.Host.Log.RetryAsync(webhook.Id, id);
        await Eventually.HoldsAsync(() => Task.FromResult(rig.Calls.Claims > claims), () => "a claim after the retry");
        scheduled.Respond(200);

        var done = await rig.Host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Success, "delivered");
        Assert.Multiple(() =>
        {
            Assert.That(rig.Transport.MostInFlightFor(id), Is.EqualTo(1), "attempts in flight at once");
            Assert.That(done.Attempts.Select(a => a.Number), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(rig.Transport.SentFor(id), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task CancelledDuringAnAttempt_StaysCancelledWithTheAttemptLogged()
    {
        await using var rig = await Rig.StartAsync(perWebhook: 4);
        var webhook = (await rig.Host.CreateAsync()).Webhook;
        var id = (await rig.Host.PublishAsync("evt_1")).MessageIds.Single();
        var inFlight = await rig.Transport.NextAsync();

        await rig.Host.Log.CancelAsync(webhook.Id, id);
        inFlight.Respond(200);

        var detail = await rig.Host.WaitForMessageAsync(webhook.Id, id, d => d.Attempts.Count == 1, "the attempt logged");
        Assert.That((detail.Message.Status, detail.Message.AttemptCount, detail.Attempts[0].StatusCode), Is.EqualTo((MessageStatus.Cancelled, 1, (int?)200)));
    }

    [Test]
    public async Task AttemptStartedLateWithinTheTimeout_KeepsItsLease()
    {
        await using var rig = await Rig.StartAsync(perWebhook: 2, more: o =>
        {
            o.Dispatcher.LeaseDuration = TimeSpan.FromSeconds(60);
            o.Http.Timeout = TimeSpan.FromSeconds(45);
        });
        await rig.Host.CreateAsync();
        await rig.Host.PublishAsync("evt_1");
        await rig.Host.PublishAsync("evt_2");
        var third = (await rig.Host.PublishAsync("evt_3")).MessageIds.Single();
        var (p1, p2) = (await rig.Transport.NextAsync(), await rig.Transport.NextAsync());
        await Eventually.HoldsAsync(() => Task.FromResult(rig.Calls.Claimed.Contains(third)), () => "the third message claimed");

        rig.Host.Time.Advance(TimeSpan.FromSeconds(29));
        p1.Respond(200);
        p2.Respond(200);
        var p3 = await rig.Transport.NextAsync();
        await Eventually.HoldsAsync(
            () => Task.FromResult(rig.Calls.Completed.Contains(p1.MessageId) && rig.Calls.Completed.Contains(p2.MessageId)),
            () => "the first two outcomes written");

        // The receiver takes 40 s, within the 45 s timeout: claims meanwhile must not take the message again.
        var claims = rig.Calls.Claims;
        rig.Host.Time.Advance(TimeSpan.FromSeconds(40));
        await Eventually.HoldsAsync(() => Task.FromResult(rig.Calls.Claims > claims), () => "a claim after the first lease would have lapsed");
        p3.Respond(200);

        Assert.That(rig.Calls.Claimed.Count(id => id == third), Is.EqualTo(1), "claims of the third message");
    }

    [TestCase("its URL changed")]
    [TestCase("it was disabled and enabled again")]
    public async Task ChangedDuringAnAttempt_ItsLateGoneDoesNotDisableTheWebhook(string change)
    {
        await using var rig = await Rig.StartAsync(perWebhook: 4);
        var webhook = (await rig.Host.CreateAsync("/old")).Webhook;
        var id = (await rig.Host.PublishAsync("evt_1")).MessageIds.Single();
        var inFlight = await rig.Transport.NextAsync();

        rig.Host.Time.Advance(TimeSpan.FromSeconds(1));
        if (change == "its URL changed")
        {
            await rig.Host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { Url = rig.Host.Receiver.UrlFor("/new") });
        }
        else
        {
            await rig.Host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Disabled });
            await rig.Host.Endpoints.UpdateAsync(webhook.Id, new WebhookUpdate { State = WebhookState.Enabled });
        }

        inFlight.Respond(410);
        await rig.Host.WaitForMessageAsync(webhook.Id, id, d => d.Attempts.Count == 1, "the attempt logged");
        await rig.Host.HealthSettledAsync();

        var now = (await rig.Host.Endpoints.GetAsync(webhook.Id))!;
        Assert.That((now.State, now.Status), Is.EqualTo((WebhookState.Enabled, WebhookStatus.Active)), now.StatusReason);
    }

    [Test]
    public async Task TestOfASystemDisabledWebhook_HeldMessagesWaitForItsOutcome()
    {
        // Should enabling and the test's Pending be two writes, the second waits until the dispatcher claimed the held
        // message again in between (or a few seconds), as a busy host may.
        string? waiting = null;
        StoreCalls? calls = null;
        var enabledFirst = false;
        await using var rig = await Rig.StartAsync(before: (method, args) =>
        {
            if (method != nameof(IWebhookStore.UpdateConfigAsync) || args[0] is not WebhookConfig config)
            {
                return;
            }

            enabledFirst |= config is { State: WebhookState.Enabled, Status: WebhookStatus.Active };
            if (enabledFirst && config.Status == WebhookStatus.Pending)
            {
                SpinWait.SpinUntil(() => calls!.Claimed.Count(id => id == waiting) >= 2, TimeSpan.FromSeconds(3));
            }
        });
        calls = rig.Calls;
        var webhook = (await rig.Host.CreateAsync()).Webhook;
        (var first, waiting) = await rig.OneInFlightOneWaitingAsync();
        first.Respond(410);
        await rig.Host.WaitForMessageAsync(webhook.Id, waiting, d => d.Message.NextAttemptAt is null, "held while the webhook is in Error");

        var testing = rig.Host.Endpoints.TestAsync(webhook.Id);
        var test = await rig.Transport.NextAsync();
        Assert.That(test.MessageId, Is.Not.EqualTo(waiting), "the held message went out before the test event");
        test.Respond(200);
        Assert.That((await testing).Status, Is.EqualTo(WebhookStatus.Active));

        (await rig.Transport.NextAsync()).Respond(200);
        await rig.Host.WaitForMessageAsync(webhook.Id, waiting, d => d.Message.Status == MessageStatus.Success, "delivered once the test passed");
    }

    [Test]
    public async Task BusyWebhookNothingChanged_AttemptsWaitingForTheSlotDoNotReadAgain()
    {
        await using var rig = await Rig.StartAsync(perWebhook: 1);
        await rig.Host.CreateAsync();
        var ids = new List<string>();

        // One in flight and two waiting for the webhook's only slot: as many as its lane lets wait (half the capacity).
        for (var i = 0; i < 3; i++)
        {
            ids.AddRange((await rig.Host.PublishAsync($"evt_{i}")).MessageIds);
        }

        for (var i = 0; i < ids.Count; i++)
        {
            (await rig.Transport.NextAsync()).Respond(200);
        }

        Assert.That(ids.Sum(rig.Calls.RenewalsOf), Is.Zero, "lease renewals of fresh leases, nothing having changed");
    }

    [Test]
    public async Task StoreFailsWhileTheAttemptIsReadied_MessageIsGivenBackAtOnce()
    {
        var failNextRead = 0;
        await using var rig = await Rig.StartAsync(before: (method, _) =>
        {
            if (method == nameof(IWebhookStore.GetMessageAsync) && Interlocked.Exchange(ref failNextRead, 0) == 1)
            {
                throw new InvalidOperationException("The store is unavailable.");
            }
        });
        await rig.Host.CreateAsync();
        var (first, waiting) = await rig.OneInFlightOneWaitingAsync();

        // A second on, the waiting attempt renews its lease and reads its message again: that read fails.
        rig.Host.Time.Advance(Webhooks.Core.Internal.WebhookDispatcher.LookAgainAfter);
        Volatile.Write(ref failNextRead, 1);
        first.Respond(200);
        await Eventually.HoldsAsync(() => Task.FromResult(rig.Calls.RenewalsOf(waiting) == 2), () => $"renewals: {rig.Calls.RenewalsOf(waiting)} (renewed, then released)");

        // Released, not held for the lease it had just renewed: the next poll claims it again.
        rig.Host.Time.Advance(new DispatcherOptions().PollInterval);
        var again = await rig.Transport.NextAsync();
        again.Respond(200);
        Assert.That((again.MessageId, rig.Calls.Claimed.Count(id => id == waiting)), Is.EqualTo((waiting, 2)));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task ShutdownRunsOutOfTime_AttemptsNotStartedGiveTheirMessagesBack(bool byTheHost)
    {
        await using var rig = await Rig.StartAsync(services: s => s.Configure<HostOptions>(static o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(200)));
        await rig.Host.CreateAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.AddRange((await rig.Host.PublishAsync($"evt_{i}")).MessageIds);
        }

        var inFlight = await rig.Transport.NextAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(rig.Calls.Claimed.Count >= 3), () => $"{rig.Calls.Claimed.Count} claimed");

        // The attempt under way outlives the shutdown's time: the host's (200 ms), or one that runs out as soon as the
        // dispatcher's own stop has started.
        var dispatcher = rig.Host.Host.Services.GetServices<IHostedService>().OfType<Webhooks.Core.Internal.WebhookDispatcher>().Single();
        if (byTheHost)
        {
            await rig.Host.Host.StopAsync();
        }
        else
        {
            using var shutdown = new CancellationTokenSource();
            var stopping = dispatcher.StopAsync(shutdown.Token);
            await shutdown.CancelAsync();
            await stopping;
        }

        await dispatcher.ExecuteTask!.WaitAsync(Eventually.Deadline);
        var store = rig.Host.Host.Services.GetRequiredService<IWebhookStore>();
        var claimable = await store.ClaimDueAsync(rig.Host.Time.GetUtcNow(), 100, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.That(claimable.Select(l => l.Message.Id), Is.EquivalentTo(ids.Where(id => id != inFlight.MessageId)), "only the aborted attempt keeps its lease");
    }

    /// <summary>An engine host whose transport holds requests and whose store calls are watched.</summary>
    private sealed class Rig(EngineHost host, HoldingTransport transport, StoreCalls calls) : IAsyncDisposable
    {
        public EngineHost Host { get; } = host;

        public HoldingTransport Transport { get; } = transport;

        public StoreCalls Calls { get; } = calls;

        public static async Task<Rig> StartAsync(
            int perWebhook = 1, Action<WebhooksOptions>? more = null, Action<string, object?[]>? before = null, Action<IServiceCollection>? services = null)
        {
            var (transport, calls) = (new HoldingTransport(), new StoreCalls());
            var store = InterceptedStore.Create(new InMemoryWebhookStore(), before ?? (static (_, _) => { }), calls.Record);
            var host = await EngineHost.StartAsync(
                o =>
                {
                    o.Dispatcher.MaxConcurrency = 4;
                    o.Dispatcher.MaxConcurrencyPerWebhook = perWebhook;
                    more?.Invoke(o);
                },
                s =>
                {
                    s.Replace(ServiceDescriptor.Singleton<IDeliveryTransport>(transport));
                    s.Replace(ServiceDescriptor.Singleton(store));
                    services?.Invoke(s);
                });
            return new Rig(host, transport, calls);
        }

        /// <summary>Publishes two events: the first is in flight, the second claimed and waiting for the webhook's only slot.</summary>
        public async Task<(HeldRequest First, string Waiting)> OneInFlightOneWaitingAsync()
        {
            await Host.PublishAsync("evt_a");
            var first = await Transport.NextAsync();
            var waiting = (await Host.PublishAsync("evt_b")).MessageIds.Single();
            await Eventually.HoldsAsync(() => Task.FromResult(Calls.Claimed.Contains(waiting)), () => "the second message claimed");
            return (first, waiting);
        }

        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }

    /// <summary>The store calls the tests wait for: claims, lease renewals and completions.</summary>
    private sealed class StoreCalls
    {
        private readonly ConcurrentDictionary<string, int> _renewals = new(StringComparer.Ordinal);
        private int _claims;

        public ConcurrentQueue<string> Claimed { get; } = new();

        public ConcurrentQueue<string> Completed { get; } = new();

        public int Claims => Volatile.Read(ref _claims);

        public int RenewalsOf(string messageId) => _renewals.GetValueOrDefault(messageId);

        public void Record(string method, object?[] args, object? result)
        {
            switch (method)
            {
                case nameof(IWebhookStore.ClaimDueAsync) when result is ValueTask<IReadOnlyList<MessageLease>> { IsCompletedSuccessfully: true } claim:
                    foreach (var lease in claim.Result)
                    {
                        Claimed.Enqueue(lease.Message.Id);
                    }

                    Interlocked.Increment(ref _claims);
                    break;
                case nameof(IWebhookStore.RenewLeaseAsync):
                    _renewals.AddOrUpdate(((MessageLease)args[0]!).Message.Id, 1, static (_, n) => n + 1);
                    break;
                case nameof(IWebhookStore.CompleteAsync):
                    foreach (var outcome in (IReadOnlyList<MessageOutcome>)args[0]!)
                    {
                        Completed.Enqueue(outcome.Message.Id);
                    }

                    break;
            }
        }
    }
}
