using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Webhooks.Core.Internal;

namespace Webhooks.Core.Tests.Engine;

/// <summary>Webhook lanes: a slow webhook's attempts wait without holding workers, and never hold every other webhook up.</summary>
[TestFixture]
public sealed class SlowWebhookLaneTests
{
    /// <summary>An engine host whose transport holds requests, and the ids of the messages it claims in order.</summary>
    internal static async Task<(EngineHost Host, HoldingTransport Transport, ConcurrentQueue<string> Claimed)> StartAsync(
        int maxConcurrency, int perWebhook, Action<WebhooksOptions>? more = null)
    {
        var transport = new HoldingTransport();
        var claimed = new ConcurrentQueue<string>();
        var store = InterceptedStore.Create(new InMemoryWebhookStore(), static (_, _) => { }, (method, _, result) =>
        {
            if (method == nameof(IWebhookStore.ClaimDueAsync) && result is ValueTask<IReadOnlyList<MessageLease>> { IsCompletedSuccessfully: true } claim)
            {
                foreach (var lease in claim.Result)
                {
                    claimed.Enqueue(lease.Message.Id);
                }
            }
        });
        var host = await EngineHost.StartAsync(
            o =>
            {
                o.Dispatcher.MaxConcurrency = maxConcurrency;
                o.Dispatcher.MaxConcurrencyPerWebhook = perWebhook;
                more?.Invoke(o);
            },
            s =>
            {
                s.Replace(ServiceDescriptor.Singleton<IDeliveryTransport>(transport));
                s.Replace(ServiceDescriptor.Singleton(store));
                s.Configure<HostOptions>(static o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
            });
        return (host, transport, claimed);
    }

    /// <summary>
    /// Creates two webhooks, each taking the events of its own name (<c>{name}.event</c>), and publishes
    /// <paramref name="events"/> events to the first.
    /// </summary>
    private static async Task<(WebhookConfig First, WebhookConfig Second)> TwoWebhooksAsync(EngineHost host, string first, string second, int events)
    {
        var one = (await host.CreateAsync("/" + first, d => d with { EventTypes = [first + ".*"] })).Webhook;
        var two = (await host.CreateAsync("/" + second, d => d with { EventTypes = [second + ".*"] })).Webhook;
        for (var i = 0; i < events; i++)
        {
            await host.PublishAsync($"evt_{first}_{i}", type: first + ".event");
        }

        return (one, two);
    }

    private static async Task<HeldRequest?> TryNextAsync(HoldingTransport transport)
    {
        try
        {
            return await transport.NextAsync();
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    // One webhook whose endpoint is slow must not hold up every other webhook: the per-webhook limit (1 here) is there so
    // that the rest of the global capacity (4) serves the others. The slow webhook's claimed messages waited for its slot
    // in workers, counting against the global capacity, so nothing else was claimed until its backlog drained.
    [Test]
    public async Task SlowWebhookWithABacklog_AnotherWebhooksMessage_IsStillDelivered()
    {
        var (host, transport, claimed) = await StartAsync(maxConcurrency: 4, perWebhook: 1);
        await using var disposeHost = host;
        var (slow, fast) = await TwoWebhooksAsync(host, "slow", "fast", events: 10);

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

    // A worker that runs its lane's waiting attempts one after the other frees a place in the capacity with each attempt
    // it finishes (the next one leaves the lane's queue). It did not tell the claim loop, which slept on until the poll
    // interval (fake time does not move here, so for ever) or until the whole lane had drained.
    [Test]
    public async Task LaneWorkerFinishingAnAttempt_FreesCapacity_ClaimLoopIsWoken()
    {
        var (host, transport, claimed) = await StartAsync(maxConcurrency: 4, perWebhook: 1);
        await using var _ = host;
        // Capacity 4 + 2: one attempt in flight, five waiting in the busy webhook's lane (it is not slow: the clock stands still).
        var (busy, other) = await TwoWebhooksAsync(host, "busy", "other", events: 6);

        var first = await transport.NextAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(claimed.Count >= 6), () => $"{claimed.Count} claimed");
        await host.PublishAsync("evt_other", type: "other.event");

        // The busy webhook's first attempt ends: its lane's next one starts, and one place in the capacity is free. The
        // two attempts start on different threads, in either order.
        first.Respond(200);
        HeldRequest?[] next = [await transport.NextAsync(), await TryNextAsync(transport)];

        Assert.That(next.Select(static r => r?.Request.WebhookId), Is.EquivalentTo(new[] { busy.Id, other.Id }),
            $"the busy webhook's next attempt and the other webhook's, claimed once capacity was free (claimed: {claimed.Count}, sent: {transport.Sent})");
        foreach (var request in next)
        {
            request?.Respond(200);
        }
    }

    // The lane of a slow webhook let at least as many attempts wait as it has slots (Math.Max(slots, half - slots)):
    // with a per-webhook limit above a quarter of the capacity the slow webhook again took all of it (here 3 running
    // and 3 waiting of 4 + 2), and no other webhook's message was claimed until its backlog drained.
    [Test]
    public async Task SlowWebhook_PerWebhookLimitOfThreeOfFour_AnotherWebhooksMessageIsStillDelivered()
    {
        var (host, transport, claimed) = await StartAsync(maxConcurrency: 4, perWebhook: 3);
        await using var _ = host;
        var (slow, fast) = await TwoWebhooksAsync(host, "slow", "fast", events: 10);

        var inFlight = new List<HeldRequest>();
        for (var i = 0; i < 3; i++)
        {
            inFlight.Add(await transport.NextAsync());
        }

        await OtherIsSentWhileSlowRequestsAreInFlightAsync(host, transport, claimed, claimedFirst: 6, inFlight, fast);
    }

    // Each slow webhook's lane could hold half the capacity (8 workers and 4 claimed ahead: its slot and 5 waiting), so
    // two slow webhooks took all of it and no other webhook's message was claimed until their backlogs drained. The slow
    // webhooks now share the half.
    [Test]
    public async Task TwoSlowWebhooksWithBacklogs_AThirdWebhooksMessage_IsStillDelivered()
    {
        var (host, transport, claimed) = await StartAsync(maxConcurrency: 8, perWebhook: 1);
        await using var _ = host;
        var first = (await host.CreateAsync("/first", static d => d with { EventTypes = ["first.*"] })).Webhook;
        var second = (await host.CreateAsync("/second", static d => d with { EventTypes = ["second.*"] })).Webhook;
        var fast = (await host.CreateAsync("/fast", static d => d with { EventTypes = ["fast.*"] })).Webhook;
        for (var i = 0; i < 10; i++)
        {
            await host.PublishAsync($"evt_first_{i}", type: "first.event");
            await host.PublishAsync($"evt_second_{i}", type: "second.event");
        }

        var inFlight = new[] { await transport.NextAsync(), await transport.NextAsync() };
        Assert.That(inFlight.Select(static r => r.Request.WebhookId), Is.EquivalentTo(new[] { first.Id, second.Id }));
        // Of the 12 places, 11 may be taken: the claim loop claims once two are free (a quarter of the workers), and
        // how the publishes fell into claims decides whether the last one is.
        await OtherIsSentWhileSlowRequestsAreInFlightAsync(host, transport, claimed, claimedFirst: 11, inFlight, fast);
    }

    /// <summary>
    /// Once <paramref name="claimedFirst"/> messages are claimed, keeps the requests in flight for longer than a slow
    /// webhook's (at its poll, the claim loop puts off what the slow webhooks hold beyond their share), publishes a
    /// <c>fast.event</c>, and asserts that it is sent to <paramref name="other"/> meanwhile.
    /// </summary>
    private static async Task OtherIsSentWhileSlowRequestsAreInFlightAsync(
        EngineHost host, HoldingTransport transport, ConcurrentQueue<string> claimed, int claimedFirst, IReadOnlyList<HeldRequest> inFlight, WebhookConfig other)
    {
        await Eventually.HoldsAsync(() => Task.FromResult(claimed.Count >= claimedFirst), () => $"{claimed.Count} claimed");
        host.Time.Advance(WebhookLane.SlowAttempt + new DispatcherOptions().PollInterval);
        await host.PublishAsync("evt_fast", type: "fast.event");

        var next = await TryNextAsync(transport);
        Assert.That(next?.Request.WebhookId, Is.EqualTo(other.Id),
            $"the other webhook's message was not sent while the slow webhooks' requests were in flight (claimed: {claimed.Count}, sent: {transport.Sent})");
        next!.Respond(200);
        foreach (var held in inFlight)
        {
            held.Respond(200);
        }
    }

    // A slow webhook's attempts claimed (and queued in its lane) within the maximum age are shed when it turns slow.
    // They were put off by a few seconds, past the maximum age, and the next claim expired them unattempted ("not
    // delivered within 10 min"), though they had been claimed in time. Now they are not put off past a margin before it.
    [Test]
    public async Task SlowWebhook_ClaimedAttemptsShedNearMaxAge_AreAttemptedNotExpired()
    {
        var (host, transport, claimed) = await StartAsync(maxConcurrency: 4, perWebhook: 1, static o =>
        {
            o.Retry.MaxAge = TimeSpan.FromMinutes(10);

            // No lease lapses meanwhile (a lapsed one would be claimed again, and expired, whatever the lanes do).
            o.Dispatcher.LeaseDuration = TimeSpan.FromMinutes(30);
        });
        await using var disposeHost = host;
        var slow = (await host.CreateAsync("/slow")).Webhook;
        for (var i = 0; i < 10; i++)
        {
            await host.PublishAsync($"evt_slow_{i}");
        }

        var first = await transport.NextAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(claimed.Count >= 6), () => $"{claimed.Count} claimed");
        var claimedInTime = claimed.Take(6).ToArray();

        // The first request has been in flight for 9 min 59 s: the webhook is slow, and the claim loop (at its poll)
        // sheds what waits in its lane beyond its limit.
        host.Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        using var answering = new CancellationTokenSource();
        var answer = Task.Run(async () =>
        {
            first.Respond(200);
            while (!answering.IsCancellationRequested)
            {
                try
                {
                    (await transport.NextAsync()).Respond(200);
                }
                catch (TimeoutException)
                {
                }
            }
        });

        var finished = new Dictionary<string, DeliveryMessage>(StringComparer.Ordinal);
        await Eventually.HoldsAsync(
            async () =>
            {
                host.Time.Advance(TimeSpan.FromMilliseconds(500));
                foreach (var id in claimedInTime)
                {
                    if ((await host.Log.GetAsync(slow.Id, id))?.Message is { IsFinished: true } message)
                    {
                        finished[id] = message;
                    }
                }

                return finished.Count == claimedInTime.Length;
            },
            () => $"{finished.Count} of the first claimed finished");
        answering.Cancel();

        var expiredUnattempted = finished.Values.Where(static m => m.Status == MessageStatus.Failed && m.AttemptCount == 0).ToArray();
        Assert.That(expiredUnattempted.Select(static m => $"{m.Id}: {m.StatusReason}"), Is.Empty,
            "messages claimed within their maximum age, then put off by the dispatcher, expired without an attempt");
    }

    // A message the user retried while it waited in a slow webhook's lane was put off as it had been claimed: the store
    // took that copy whole, and the user's retry request was undone. Claimed before a change, it now waits, and is read
    // again before its attempt.
    [Test]
    public async Task SlowWebhook_MessagesRetriedByTheUserWhileWaiting_AreAttemptedNotPutOff()
    {
        var (host, transport, waiting) = await SlowWebhookWithRetriesWaitingAsync();
        await using var disposeHost = host;
        foreach (var id in waiting.Ids)
        {
            await host.Log.RetryAsync(waiting.WebhookId, id);
        }

        Assert.That(await AttemptedWithoutTheClockMovingAsync(host, transport, waiting), Is.EquivalentTo(waiting.Ids));
    }

    // The same retries asked for through another instance, which shares the store but not this dispatcher's note of
    // changes: the waiting messages were put off as they had been claimed, so the user's request was undone (the
    // failure's reason back, and with it the maximum age). A postponement is now written only while the message is as
    // claimed; a changed one is given back as it is now, and may be put off again only as the retry it has become.
    [Test]
    public async Task SlowWebhook_MessagesRetriedThroughAnotherInstanceWhileWaiting_KeepTheRetryRequest()
    {
        var (host, transport, waiting) = await SlowWebhookWithRetriesWaitingAsync();
        await using var disposeHost = host;
        var store = host.Host.Services.GetRequiredService<IWebhookStore>();
        foreach (var id in waiting.Ids)
        {
            await host.RetryAsAnotherInstanceAsync(store, id);
        }

        var attempted = await AttemptedWithoutTheClockMovingAsync(host, transport, waiting);
        foreach (var id in waiting.Ids.Except(attempted))
        {
            var message = (await host.Log.GetAsync(waiting.WebhookId, id))!.Message;
            Assert.That(MessageLifecycle.IsRetryRequested(message), Is.True,
                $"{id}, put off, is {message.Status} ({message.StatusReason}), due in {message.NextAttemptAt - host.Time.GetUtcNow()}");
        }
    }

    private sealed record WaitingRetries(string WebhookId, HeldRequest InFlight, string[] Ids);

    /// <summary>
    /// A webhook (limit 1) with six messages retrying, due together, and claimed: one attempt in flight, five waiting in
    /// its lane. Leases last 30 minutes, so none lapses meanwhile.
    /// </summary>
    private static async Task<(EngineHost Host, HoldingTransport Transport, WaitingRetries Waiting)> SlowWebhookWithRetriesWaitingAsync()
    {
        var (host, transport, claimed) = await StartAsync(maxConcurrency: 4, perWebhook: 1, static o => o.Dispatcher.LeaseDuration = TimeSpan.FromMinutes(30));
        var slow = (await host.CreateAsync("/slow")).Webhook;
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add((await host.PublishAsync($"evt_slow_{i}")).MessageIds.Single());
        }

        // Every first attempt fails at once: all six retrying, due together.
        for (var i = 0; i < 6; i++)
        {
            (await transport.NextAsync()).Respond(500);
        }

        var due = DateTimeOffset.MinValue;
        foreach (var id in ids)
        {
            var retrying = await host.WaitForMessageAsync(slow.Id, id, static d => d.Message is { Status: MessageStatus.Retrying, NextAttemptAt: not null }, "retrying");
            due = retrying.Message.NextAttemptAt!.Value > due ? retrying.Message.NextAttemptAt.Value : due;
        }

        host.Time.Advance(due - host.Time.GetUtcNow());
        var inFlight = await transport.NextAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(claimed.Count >= 12), () => $"{claimed.Count} claimed");
        return (host, transport, new WaitingRetries(slow.Id, inFlight, ids.Where(id => id != inFlight.MessageId).ToArray()));
    }

    /// <summary>
    /// Keeps every slot taken for over a second (the webhook is slow, and what waits beyond its limit would be put off),
    /// ends the attempt in flight, and returns the messages then attempted without the clock moving again.
    /// </summary>
    private static async Task<HashSet<string>> AttemptedWithoutTheClockMovingAsync(EngineHost host, HoldingTransport transport, WaitingRetries waiting)
    {
        host.Time.Advance(WebhookLane.SlowAttempt + new DispatcherOptions().PollInterval);
        waiting.InFlight.Respond(200);
        var attempted = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < waiting.Ids.Length; i++)
        {
            var next = await TryNextAsync(transport);
            if (next is null)
            {
                break;
            }

            attempted.Add(next.MessageId);
            next.Respond(200);
        }

        return attempted;
    }
}
