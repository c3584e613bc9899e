using Microsoft.Extensions.Time.Testing;
using Webhooks.Core.Internal;
using Webhooks.Core.Tests.Engine;

namespace Webhooks.Core.Tests.Delivery;

/// <summary>When a webhook's lane counts as slow, and how many claimed attempts it then lets wait.</summary>
[TestFixture]
public sealed class WebhookLaneTests
{
    private static readonly TimeSpan Lease = new DispatcherOptions().LeaseDuration;

    // "Every slot taken for over a second" started again each time a slot went from a finished attempt to a waiting one,
    // so a webhook with one slot and a backlog of attempts just under a second each was never slow: its queue, of any
    // length, held the dispatcher's capacity. The slot handed on is not left free, and the time runs on.
    [Test]
    public void SlotHandedOnToWaitingAttempts_ForOverASecond_WebhookIsSlow()
    {
        var time = new FakeTimeProvider(EngineHost.Start);
        var lane = new WebhookLane(slots: 1, waitLimit: 1, Lease, new SlowShare(100), time);
        Assert.That(lane.TryEnter(), Is.True);
        for (var i = 0; i < 3; i++)
        {
            Assert.That(lane.TryWait(Attempt(i)), Is.True, $"attempt {i} queued while the webhook keeps up");
        }

        for (var i = 0; i < 2; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(900));
            lane.NoteAttempt(TimeSpan.FromMilliseconds(900));
            lane.Exit();
            Assert.That(lane.TryTakeWaiting(out _), Is.True, "the slot goes to the next waiting attempt");
        }

        Assert.That(lane.TryWait(Attempt(3)), Is.False, "an attempt beyond the limit of a webhook whose slot has been taken for 1.8 s");
    }

    [Test]
    public void SlotLeftFree_WebhookIsNoLongerSlow()
    {
        var time = new FakeTimeProvider(EngineHost.Start);
        var lane = new WebhookLane(slots: 1, waitLimit: 0, Lease, new SlowShare(100), time);
        Assert.That(lane.TryEnter(), Is.True);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.That(lane.TryWait(Attempt(0)), Is.False, "slow: its only slot taken for 2 s");

        lane.Exit();
        Assert.That(lane.TryEnter(), Is.True);
        Assert.That(lane.TryWait(Attempt(1)), Is.True, "the slot was left free: the webhook keeps up");
    }

    // A waiting attempt's lease is renewed when it starts, not while it waits. A slow webhook let as many wait as its
    // limit allowed whatever its attempts took, so behind attempts of 20 s each the last of them waited past its lease,
    // which lapsed, and the message was claimed again. It now lets wait only what its slots send in half a lease.
    [TestCase(1, 1)]
    [TestCase(2, 3)]
    public void SlowAttempts_WaitNoLongerThanHalfALease(int slots, int mayWait)
    {
        var time = new FakeTimeProvider(EngineHost.Start);
        var lane = new WebhookLane(slots, waitLimit: 20, Lease, new SlowShare(100), time);
        for (var i = 0; i < 50; i++)
        {
            lane.NoteAttempt(TimeSpan.FromSeconds(20));
        }

        for (var i = 0; i < slots; i++)
        {
            Assert.That(lane.TryEnter(), Is.True);
        }

        var waiting = 0;
        while (waiting < 20 && lane.TryWait(Attempt(waiting)))
        {
            waiting++;
        }

        // Attempts of about 20 s each (smoothed): half a 60 s lease sends 1.5 per slot.
        Assert.That(waiting, Is.EqualTo(mayWait));
    }

    // Each slow webhook could hold half the capacity (its slots and the attempts waiting for them), so two slow webhooks
    // together held all of it. They now share that half.
    [Test]
    public void TwoSlowWebhooks_TogetherHoldNoMoreThanTheirShare()
    {
        var time = new FakeTimeProvider(EngineHost.Start);
        var share = new SlowShare(6);
        var first = new WebhookLane(slots: 1, waitLimit: 5, Lease, share, time);
        var second = new WebhookLane(slots: 1, waitLimit: 5, Lease, share, time);
        foreach (var lane in new[] { first, second })
        {
            Assert.That(lane.TryEnter(), Is.True);
            for (var i = 0; i < 5; i++)
            {
                Assert.That(lane.TryWait(Attempt(i)), Is.True, "queued while the webhook keeps up");
            }
        }

        // Both slots taken for 2 s: both webhooks are slow, and hold 12 of the capacity between them.
        time.Advance(TimeSpan.FromSeconds(2));
        first.Publish();
        second.Publish();
        var shed = 0;
        foreach (var lane in new[] { first, second })
        {
            while (lane.TryShed(out _))
            {
                shed++;
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(shed, Is.EqualTo(6), "attempts put off");
            Assert.That(share.Held, Is.EqualTo(6), "held by the slow webhooks");
            Assert.That(second.TryWait(Attempt(9)), Is.False, "a further attempt of a slow webhook, with the share taken");
        });

        // The first webhook's attempt ends, with none of its own waiting: it holds nothing, and the other (its slot and
        // four waiting) may queue again.
        first.Exit();
        Assert.Multiple(() =>
        {
            Assert.That(share.Held, Is.EqualTo(5), "held once the first is idle");
            Assert.That(second.TryWait(Attempt(10)), Is.True, "an attempt of the other, with room in the share");
        });
    }

    private static ReadyAttempt Attempt(int n)
    {
        var message = new DeliveryMessage
        {
            Id = $"msg_{n}", WebhookId = "wh_1", EventId = $"evt_{n}", EventType = "order.created", CreatedAt = EngineHost.Start,
        };
        var config = new WebhookConfig { Id = "wh_1", Url = "https://example.com/hook" };
        return new ReadyAttempt(new MessageLease(message, Guid.NewGuid(), EngineHost.Start + Lease), config, 0);
    }
}
