using Microsoft.Extensions.Time.Testing;
using Webhooks.Core.AspNetCore.Internal;

namespace Webhooks.Core.AspNetCore.Tests.Receiving;

public sealed class ReplayCacheTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 31, 8, 0, 0, TimeSpan.Zero));

    [Test]
    public void TryRecord_SameKeyTwice_RejectsTheSecond()
    {
        var cache = new ReplayCache(10, _time);

        Assert.That(cache.TryRecord("a", _time.GetUtcNow().AddMinutes(5)), Is.True);
        Assert.That(cache.TryRecord("a", _time.GetUtcNow().AddMinutes(5)), Is.False);
        Assert.That(cache.TryRecord("b", _time.GetUtcNow().AddMinutes(5)), Is.True);
    }

    [Test]
    public void TryRecord_AfterExpiry_ForgetsTheKey()
    {
        var cache = new ReplayCache(10, _time);
        cache.TryRecord("a", _time.GetUtcNow().AddMinutes(5));

        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.That(cache.TryRecord("a", _time.GetUtcNow().AddMinutes(5)), Is.True);
        Assert.That(cache.Count, Is.EqualTo(1));
    }

    [Test]
    public void TryRecord_Full_ForgetsTheEntryClosestToExpiry()
    {
        var cache = new ReplayCache(3, _time);
        cache.TryRecord("late", _time.GetUtcNow().AddMinutes(9));
        cache.TryRecord("soon", _time.GetUtcNow().AddMinutes(1));
        cache.TryRecord("mid", _time.GetUtcNow().AddMinutes(5));

        Assert.That(cache.TryRecord("new", _time.GetUtcNow().AddMinutes(5)), Is.True);

        Assert.That(cache.Count, Is.EqualTo(3));
        Assert.That(cache.TryRecord("late", _time.GetUtcNow().AddMinutes(9)), Is.False);
        Assert.That(cache.TryRecord("mid", _time.GetUtcNow().AddMinutes(5)), Is.False);
    }

    [Test]
    public void GrowTo_ALargerSize_HoldsMoreAndASmallerOneDoesNotShrinkIt()
    {
        var cache = new ReplayCache(2, _time);
        cache.GrowTo(3);
        cache.GrowTo(1);

        cache.TryRecord("a", _time.GetUtcNow().AddMinutes(1));
        cache.TryRecord("b", _time.GetUtcNow().AddMinutes(2));
        cache.TryRecord("c", _time.GetUtcNow().AddMinutes(3));

        Assert.That(cache.Count, Is.EqualTo(3));
        Assert.That(cache.TryRecord("a", _time.GetUtcNow().AddMinutes(1)), Is.False, "the first entry is still held");
    }

    [Test]
    public async Task ForgetAsync_ManyForgottenDeliveries_QueueStaysNearTheCapacity()
    {
        var cache = new ReplayCache(100, _time);
        for (var i = 0; i < 10_000; i++)
        {
            var key = $"/hooks\nmsg_{i}\n1738310400";
            cache.TryRecord(key, _time.GetUtcNow().AddMinutes(5));
            await cache.ForgetAsync(key, CancellationToken.None);
        }

        Assert.That(cache.QueuedCount, Is.LessThanOrEqualTo(200), "queue items a cache of 100 holds");
        Assert.That(cache.TryRecord("/hooks\nmsg_9999\n1738310400", _time.GetUtcNow().AddMinutes(5)), Is.True, "a forgotten delivery is accepted again");
    }
}
