using System.Collections.Concurrent;
using NUnit.Framework;

namespace Webhooks.Core.Testing;

/// <content>Concurrent callers: claims, deliveries, enqueues and config updates racing each other.</content>
public abstract partial class WebhookStoreConformanceTests
{
    private const int ParallelCallers = 8;

    /// <summary>Eight claimers racing over 1,000 due messages in batches of 50 claim every message exactly once.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task ClaimDueAsync_ParallelClaimers_ClaimEachMessageExactlyOnce()
    {
        const int messageCount = 1000;
        await AddWebhooksAsync("wh-1", "wh-2");
        foreach (var batch in Enumerable.Range(0, messageCount).Chunk(100))
        {
            await EnqueueAsync([.. batch.Select(i => NewMessage($"m-{i:D4}", i % 2 == 0 ? "wh-1" : "wh-2", dueAt: i % 10))]);
        }

        var claimed = new ConcurrentQueue<string>();
        await Task.WhenAll(Enumerable.Range(0, ParallelCallers).Select(_ => Task.Run(async () =>
        {
            // Bounded: a store that hands out leased messages again fails the test rather than running it forever.
            while (claimed.Count <= 2 * messageCount && await Store.ClaimDueAsync(At(10), 50, LeaseDuration, None) is { Count: > 0 } leases)
            {
                foreach (var lease in leases)
                {
                    claimed.Enqueue(lease.Message.Id);
                }
            }
        })));

        Assert.That(claimed, Has.Count.EqualTo(messageCount));
        Assert.That(claimed, Is.Unique);
        Assert.That(await ClaimAsync(10), Is.Empty);
    }

    /// <summary>Eight workers claiming and completing in parallel deliver each message exactly once.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task CompleteAsync_ParallelWorkers_DeliverEachMessageExactlyOnce()
    {
        const int messageCount = 400;
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync([.. Enumerable.Range(0, messageCount).Select(i => NewMessage($"m-{i:D4}", "wh-1", dueAt: i % 7))]);

        var (written, handedOut) = (0, 0);
        await Task.WhenAll(Enumerable.Range(0, ParallelCallers).Select(_ => Task.Run(async () =>
        {
            // Bounded, as above.
            while (Volatile.Read(ref handedOut) <= 2 * messageCount && await Store.ClaimDueAsync(At(10), 20, LeaseDuration, None) is { Count: > 0 } leases)
            {
                Interlocked.Add(ref handedOut, leases.Count);
                var outcomes = leases.Select(lease => Attempted(lease, at: 10, statusCode: 200)).ToArray();
                Interlocked.Add(ref written, await Store.CompleteAsync(outcomes, None));
            }
        })));

        Assert.That(written, Is.EqualTo(messageCount));
        var delivered = await ListMessagesAsync(new MessageQuery { WebhookId = "wh-1", Status = MessageStatus.Success, Limit = 0 });
        Assert.That(delivered.Total, Is.EqualTo(messageCount));
        for (var i = 0; i < messageCount; i += 37)
        {
            Assert.That(await Store.GetAttemptsAsync($"m-{i:D4}", None), Has.Count.EqualTo(1), $"m-{i:D4}");
        }
    }

    /// <summary>
    /// The same event enqueued at once by eight callers, each for a webhook of its own (say, instances that routed it
    /// with different views of the webhooks), is stored by one caller only.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task EnqueueAsync_SameEventForEachWebhookInParallel_OneCallerStoresIt()
    {
        var webhooks = Enumerable.Range(0, ParallelCallers).Select(i => $"wh-{i}").ToArray();
        await AddWebhooksAsync(webhooks);

        var results = await Task.WhenAll(webhooks.Select(webhook => Task.Run(async () =>
            await Store.EnqueueAsync([NewMessage($"m-{webhook}", webhook) with { EventId = "evt-1" }], None))));

        Assert.That(results.Sum(ids => ids.Count), Is.EqualTo(1), "stored: " + string.Join(", ", results.SelectMany(ids => ids)));
    }

    /// <summary>The same event enqueued by eight callers at once is stored once.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task EnqueueAsync_SameEventInParallel_StoresOneMessage()
    {
        await AddWebhooksAsync("wh-1");

        var results = await Task.WhenAll(Enumerable.Range(0, ParallelCallers).Select(i => Task.Run(async () =>
            await Store.EnqueueAsync([NewMessage($"m-{i}", "wh-1") with { EventId = "evt-1" }], None))));

        Assert.That(results.Sum(ids => ids.Count), Is.EqualTo(1));
        var page = await ListMessagesAsync(new MessageQuery { WebhookId = "wh-1" });
        Assert.That(Ids(page.Items), Is.EqualTo(results.SelectMany(ids => ids)));
    }

    /// <summary>
    /// A cancel racing the completion of the message's attempt, on 500 messages at once, loses neither: each message
    /// ends delivered, or cancelled with its attempt counted, never claimed again. A store whose change writes back the
    /// whole message it read before the completion loses the attempt (a cancelled message counting none).
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task UpdateMessageAsync_CancelRacingTheAttemptsCompletion_LosesNeither()
    {
        const int messageCount = 500;
        await AddWebhooksAsync("wh-1");
        await EnqueueAsync([.. Enumerable.Range(0, messageCount).Select(i => NewMessage($"m-{i:D3}", "wh-1"))]);
        var leases = await ClaimAsync(0, messageCount);
        Assert.That(leases, Has.Count.EqualTo(messageCount));

        // Two callers, one completing and one cancelling, start on each message together.
        var outcomes = leases.Select(lease => Attempted(lease, at: 1, statusCode: 200)).ToArray();
        using var together = new Barrier(2);
        await Task.WhenAll(
            Task.Factory.StartNew(
                async () =>
                {
                    foreach (var outcome in outcomes)
                    {
                        together.SignalAndWait();
                        await Store.CompleteAsync([outcome], None);
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).Unwrap(),
            Task.Factory.StartNew(
                async () =>
                {
                    foreach (var outcome in outcomes)
                    {
                        together.SignalAndWait();
                        await Store.UpdateMessageAsync(outcome.Message.Id, static m => m.IsFinished ? null : MessageLifecycle.Cancel(m), None);
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).Unwrap());

        Assert.Multiple(async () =>
        {
            foreach (var outcome in outcomes)
            {
                var id = outcome.Message.Id;
                var stored = await GetMessageAsync(id);
                Assert.That(stored.Status, Is.AnyOf(MessageStatus.Success, MessageStatus.Cancelled), id);
                Assert.That((stored.AttemptCount, stored.LastAttempt), Is.EqualTo((1, outcome.Attempt)), id);
                Assert.That(await Store.GetAttemptsAsync(id, None), Is.EqualTo(new[] { outcome.Attempt }), id);
            }

            Assert.That(await ClaimAsync(3600, messageCount), Is.Empty, "a finished message is not claimed");
        });
    }

    /// <summary>
    /// A delete at a generation racing an update from it, on 1,000 webhooks in turn: exactly one of the two wins each
    /// time. The update that wins makes the delete throw <see cref="WebhookConcurrencyException"/> and leaves the updated
    /// config; the delete that wins makes the update fail and leaves nothing. A store that reads the generation and
    /// deletes in two steps deletes an update it never saw.
    /// </summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task DeleteConfigAsync_RacingAnUpdateFromTheSameGeneration_OneWins()
    {
        const int webhookCount = 1000;
        var ids = Enumerable.Range(0, webhookCount).Select(i => $"wh-{i:D3}").ToArray();
        await AddWebhooksAsync(ids);

        using var together = new Barrier(2);
        var updated = new bool[webhookCount];
        var deleted = new bool[webhookCount];
        await Task.WhenAll(
            Task.Factory.StartNew(
                async () =>
                {
                    for (var i = 0; i < webhookCount; i++)
                    {
                        together.SignalAndWait();
                        try
                        {
                            await Store.UpdateConfigAsync(NewConfig(ids[i]) with { Name = "renamed" }, 1, None);
                            updated[i] = true;
                        }
                        catch (Exception ex) when (ex is WebhookNotFoundException or WebhookConcurrencyException)
                        {
                            // The delete came first.
                        }
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).Unwrap(),
            Task.Factory.StartNew(
                async () =>
                {
                    for (var i = 0; i < webhookCount; i++)
                    {
                        together.SignalAndWait();
                        try
                        {
                            deleted[i] = await Store.DeleteConfigAsync(ids[i], 1, None);
                        }
                        catch (WebhookConcurrencyException)
                        {
                            // The update came first.
                        }
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).Unwrap());

        Assert.Multiple(async () =>
        {
            for (var i = 0; i < webhookCount; i++)
            {
                Assert.That(updated[i] ^ deleted[i], Is.True, $"{ids[i]}: updated {updated[i]}, deleted {deleted[i]}");
                var stored = await Store.GetConfigAsync(ids[i], None);
                Assert.That(stored?.Generation, Is.EqualTo(updated[i] && !deleted[i] ? 2 : null), ids[i]);
            }
        });
    }

    /// <summary>Eight updates racing from the same generation: exactly one wins, the others fail with <see cref="WebhookConcurrencyException"/>.</summary>
    /// <returns>A task that completes with the test.</returns>
    [Test]
    public async Task UpdateConfigAsync_ParallelFromSameGeneration_ExactlyOneWins()
    {
        await AddConfigsAsync(NewConfig("wh-1"));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, ParallelCallers).Select(i => Task.Run(async () =>
        {
            try
            {
                return (await Store.UpdateConfigAsync(NewConfig("wh-1") with { Name = $"Writer {i}" }, 1, None)).Name;
            }
            catch (WebhookConcurrencyException)
            {
                return null;
            }
        })));

        var winners = outcomes.Where(name => name is not null).ToArray();
        Assert.That(winners, Has.Length.EqualTo(1));
        var stored = await Store.GetConfigAsync("wh-1", None);
        Assert.That((stored?.Name, stored?.Generation), Is.EqualTo((winners[0], (long?)2)));
    }
}
