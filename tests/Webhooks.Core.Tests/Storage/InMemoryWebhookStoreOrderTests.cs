namespace Webhooks.Core.Tests.Storage;

[TestFixture]
public sealed class InMemoryWebhookStoreOrderTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task ClaimDueAsync_EqualDueTimes_ReturnsMessagesInEnqueueOrder()
    {
        var store = new InMemoryWebhookStore();
        await store.AddConfigAsync(new WebhookConfig { Id = "wh", Url = "https://example.com/", Generation = 1 }, CancellationToken.None);
        var ids = Enumerable.Range(0, 50).Select(i => $"msg_{i:D2}").ToArray();
        foreach (var id in ids)
        {
            await store.EnqueueAsync(
                [new DeliveryMessage { Id = id, WebhookId = "wh", EventId = "evt_" + id, EventType = "t", CreatedAt = Now, NextAttemptAt = Now }],
                CancellationToken.None);
        }

        var first = await store.ClaimDueAsync(Now, 1, TimeSpan.FromMinutes(1), CancellationToken.None);
        var rest = await store.ClaimDueAsync(Now, 100, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.That(first.Concat(rest).Select(l => l.Message.Id), Is.EqualTo(ids));
    }
}
