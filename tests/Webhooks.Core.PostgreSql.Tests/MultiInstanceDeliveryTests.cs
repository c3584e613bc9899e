using System.Collections.Concurrent;

namespace Webhooks.Core.PostgreSql.Tests;

/// <summary>Several instances work one queue while one of them dies holding leases: nothing is lost or completed twice.</summary>
public sealed class MultiInstanceDeliveryTests : PostgreSqlTestBase
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    [Test]
    public async Task ThreeInstancesAndOneCrash_EveryMessageSucceedsExactlyOnce()
    {
        const int Count = 2_000;
        await CreateStore().EnqueueAsync(TestData.DueMessages(Count, "wh-1", Now), Timeout);
        var crashed = CreateStore();
        var abandoned = await crashed.ClaimDueAsync(Now.AddSeconds(1), 150, Lease, Timeout);
        var workers = new[] { CreateStore(), CreateStore(), CreateStore() };
        var written = new ConcurrentDictionary<string, int>();

        // First the survivors drain what is free; then, after the crashed instance's leases lapse, what it held.
        foreach (var now in new[] { Now.AddSeconds(1), Now.AddSeconds(1) + Lease })
        {
            await Task.WhenAll(workers.Select(store => Task.Run(async () =>
            {
                while (await store.ClaimDueAsync(now, 50, Lease, Timeout) is { Count: > 0 } leases)
                {
                    var outcomes = leases.Select(lease => Succeeded(lease, now)).ToList();
                    Assert.That(await store.CompleteAsync(outcomes, Timeout), Is.EqualTo(leases.Count));
                    foreach (var lease in leases)
                    {
                        written.AddOrUpdate(lease.Message.Id, 1, (_, n) => n + 1);
                    }
                }
            })));
        }

        // The crashed instance comes back and tries to finish what it had claimed: too late.
        Assert.That(await crashed.CompleteAsync([.. abandoned.Select(lease => Succeeded(lease, Now.AddSeconds(2)))], Timeout), Is.Zero);

        Assert.That(abandoned, Has.Count.EqualTo(150));
        Assert.That(written, Has.Count.EqualTo(Count));
        Assert.That(written.Values.All(n => n == 1), Is.True);
        Assert.That(
            await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".messages WHERE status = 2 AND attempt_count = 1"),
            Is.EqualTo(Count));
        Assert.That(await PostgreSqlTestDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".attempts"), Is.EqualTo(Count));
    }

    private static MessageOutcome Succeeded(MessageLease lease, DateTimeOffset at)
    {
        var attempt = TestData.Attempt(lease.Message.AttemptCount + 1, at, 200);
        return new MessageOutcome(
            lease.LeaseId,
            lease.Message with { Status = MessageStatus.Success, AttemptCount = attempt.Number, NextAttemptAt = null, LastAttempt = attempt },
            attempt);
    }
}
