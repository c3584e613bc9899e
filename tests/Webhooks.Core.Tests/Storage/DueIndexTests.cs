using Webhooks.Core.Internal;

namespace Webhooks.Core.Tests.Storage;

public sealed class DueIndexTests
{
    private static readonly DateTimeOffset BaseTime = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Remove_MostEntries_CompactsTheQueues()
    {
        var index = new DueIndex();
        var entries = Enumerable.Range(0, 4000).Select(i => Schedule(index, $"m-{i}", dueAt: i)).ToArray();

        foreach (var entry in entries.Take(3000))
        {
            index.Remove(entry);
        }

        Assert.That(index.Count, Is.EqualTo(1000));
        Assert.That(index.QueuedCount, Is.LessThan(2000 + DueIndex.CompactionThreshold));
        var claimed = index.Claim(BaseTime.AddSeconds(5000), 5000, BaseTime.AddSeconds(6000));
        Assert.That(claimed.Select(lease => lease.Message.Id), Is.EqualTo(entries.Skip(3000).Select(entry => entry.Message.Id)));
    }

    [Test]
    public void Renew_EarlierExpiry_ReleasesTheLeaseAtTheNewExpiry()
    {
        var index = new DueIndex();
        var entry = Schedule(index, "m-1", dueAt: 0);
        index.Claim(BaseTime, 1, BaseTime.AddSeconds(300));

        index.Renew(entry, BaseTime.AddSeconds(100).UtcTicks);

        Assert.That(index.Claim(BaseTime.AddSeconds(99), 1, BaseTime.AddSeconds(400)), Is.Empty);
        Assert.That(index.Claim(BaseTime.AddSeconds(100), 1, BaseTime.AddSeconds(400)), Has.Count.EqualTo(1));
        Assert.That(index.QueuedCount, Is.EqualTo(2), "the live lease and the stale one from before the renewal");
    }

    [Test]
    public void Claim_LeaseExpired_ClearsTheLeaseAndReschedules()
    {
        var index = new DueIndex();
        var entry = Schedule(index, "m-1", dueAt: 0);
        var first = index.Claim(BaseTime, 1, BaseTime.AddSeconds(300)).Single();

        var second = index.Claim(BaseTime.AddSeconds(300), 1, BaseTime.AddSeconds(600)).Single();

        Assert.That(second.LeaseId, Is.Not.EqualTo(first.LeaseId));
        Assert.That((entry.LeaseId, entry.Placement), Is.EqualTo((second.LeaseId, MessagePlacement.Leased)));
    }

    private static MessageEntry Schedule(DueIndex index, string id, int dueAt)
    {
        var entry = new MessageEntry(new DeliveryMessage
        {
            Id = id,
            WebhookId = "wh-1",
            EventId = "evt-" + id,
            EventType = "order.created",
            NextAttemptAt = BaseTime.AddSeconds(dueAt),
        });
        index.Schedule(entry, entry.Message.NextAttemptAt!.Value.UtcTicks);
        return entry;
    }
}
