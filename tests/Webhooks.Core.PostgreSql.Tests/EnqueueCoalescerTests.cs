using Webhooks.Core.PostgreSql.Internal;

namespace Webhooks.Core.PostgreSql.Tests;

public sealed class EnqueueCoalescerTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task EnqueueAsync_WhileAnInsertIsOnItsWay_LaterCallersShareTheNextInsert()
    {
        var (coalescer, inserts, firstInsert) = RecordingCoalescer();

        var first = coalescer.EnqueueAsync([Message("a")], CancellationToken.None);
        var others = Enumerable.Range(0, 5).Select(i => coalescer.EnqueueAsync([Message("b" + i), Message("c" + i)], CancellationToken.None)).ToArray();
        firstInsert.SetResult();

        Assert.That(await first, Is.EqualTo(new[] { "a" }));
        for (var i = 0; i < others.Length; i++)
        {
            Assert.That(await others[i], Is.EqualTo(new[] { "b" + i, "c" + i }));
        }

        Assert.That(inserts, Is.EqualTo(new[] { 1, 10 }));
    }

    [Test]
    public async Task EnqueueAsync_SharedInsertFails_OnlyTheCallerWithTheBadMessageFails()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var coalescer = new EnqueueCoalescer(async messages =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await release.Task;
            }

            return messages.Any(m => m.Id == "bad")
                ? throw new InvalidOperationException("bad message")
                : [.. messages.Where(m => m.Id != "dup").Select(m => m.Id)];
        });

        var first = coalescer.EnqueueAsync([Message("a")], CancellationToken.None);
        var good = coalescer.EnqueueAsync([Message("g"), Message("dup")], CancellationToken.None);
        var bad = coalescer.EnqueueAsync([Message("bad")], CancellationToken.None);
        release.SetResult();

        Assert.That(await first, Is.EqualTo(new[] { "a" }));
        Assert.That(await good, Is.EqualTo(new[] { "g" }), "skipped duplicates are left out");
        Assert.That(async () => await bad, Throws.InvalidOperationException);
    }

    [Test]
    public async Task EnqueueAsync_LargePayloadsWaiting_ShareAnInsertOnlyUpToTheByteBound()
    {
        var (coalescer, inserts, firstInsert) = RecordingCoalescer();

        // Three waiting callers of 30 MB each: two fit under the 64 MB bound together, the third goes next.
        var payload = new byte[30 * 1024 * 1024];
        var first = coalescer.EnqueueAsync([Message("a")], CancellationToken.None);
        var large = Enumerable.Range(0, 3).Select(i => coalescer.EnqueueAsync([Message("large" + i) with { Payload = payload }], CancellationToken.None)).ToArray();
        firstInsert.SetResult();

        await first;
        await Task.WhenAll(large);
        Assert.That(inserts, Is.EqualTo(new[] { 1, 2, 1 }));
    }

    /// <summary>A coalescer whose inserts store every message and note their sizes; the first waits for its gate.</summary>
    private static (EnqueueCoalescer Coalescer, List<int> Inserts, TaskCompletionSource FirstInsert) RecordingCoalescer()
    {
        var inserts = new List<int>();
        var firstInsert = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var coalescer = new EnqueueCoalescer(async messages =>
        {
            int count;
            lock (inserts)
            {
                inserts.Add(messages.Count);
                count = inserts.Count;
            }

            if (count == 1)
            {
                await firstInsert.Task;
            }

            return [.. messages.Select(m => m.Id)];
        });
        return (coalescer, inserts, firstInsert);
    }

    private static DeliveryMessage Message(string id) => TestData.Message(id, "wh-1", Now, Now);
}
