using Webhooks.Core.Internal;
using Webhooks.Core.Tests.Engine;

namespace Webhooks.Core.Tests.Storage;

/// <summary>A webhook's log keeps its messages in creation order, however late each is added.</summary>
[TestFixture]
public sealed class WebhookMessagesTests
{
    // Added last, a few places early (publishers racing for the lock), and far earlier than the last few (a message
    // created long before it is stored): each lands at its place.
    [TestCase(0)]
    [TestCase(3)]
    [TestCase(8)]
    [TestCase(9)]
    [TestCase(500)]
    public void AddInCreationOrder_AddedLate_LandsAtItsPlace(int placesEarly)
    {
        var messages = new WebhookMessages();
        var order = Enumerable.Range(0, 1000).ToList();
        var late = order[^(placesEarly + 1)];
        order.Remove(late);
        order.Add(late);

        foreach (var n in order)
        {
            messages.AddInCreationOrder(Entry(n));
        }

        Assert.That(messages.ByCreation.Select(static e => e.Message.Id), Is.EqualTo(Enumerable.Range(0, 1000).Select(Id)));
    }

    [Test]
    public void AddInCreationOrder_SameCreationTime_OrdersById()
    {
        var messages = new WebhookMessages();
        foreach (var n in new[] { 3, 1, 2, 0 })
        {
            messages.AddInCreationOrder(Entry(n, sameTime: true));
        }

        Assert.That(messages.ByCreation.Select(static e => e.Message.Id), Is.EqualTo(new[] { Id(0), Id(1), Id(2), Id(3) }));
    }

    private static string Id(int n) => $"msg_{n:D5}";

    private static MessageEntry Entry(int n, bool sameTime = false) => new(new DeliveryMessage
    {
        Id = Id(n),
        WebhookId = "wh_1",
        EventId = $"evt_{n}",
        EventType = "order.created",
        CreatedAt = EngineHost.Start + TimeSpan.FromMilliseconds(sameTime ? 0 : n),
    });
}
