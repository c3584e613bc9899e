using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Core.Internal;

namespace Webhooks.Core.Tests.Storage;

/// <summary>
/// The shared blocks the in-memory store's payloads are written in: the bytes kept, what goes in a block, and that a
/// message waiting for a retry or held gets its payload out of its block.
/// </summary>
public sealed class PayloadArenaTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Keep_SmallPayloads_SameBytesInOneSharedBlock()
    {
        var (first, second) = (PayloadArena.Keep("""{"a":1}"""u8), PayloadArena.Keep("""{"b":2}"""u8));

        Assert.Multiple(() =>
        {
            Assert.That((Encoding.UTF8.GetString(first.Span), Encoding.UTF8.GetString(second.Span)), Is.EqualTo(("""{"a":1}""", """{"b":2}""")));
            Assert.That(PayloadArena.Holds(first) && PayloadArena.Holds(second), Is.True);
        });
    }

    [Test]
    public void Keep_LargePayload_AnArrayOfItsOwn()
    {
        var large = new byte[16 * 1024];
        large[^1] = 7;

        var kept = PayloadArena.Keep(large);

        Assert.That((PayloadArena.Holds(kept), kept.Length, kept.Span[^1]), Is.EqualTo((false, large.Length, (byte)7)));
    }

    [TestCase(MessageStatus.Retrying, false)]
    [TestCase(MessageStatus.Created, false)]
    [TestCase(MessageStatus.Success, true)]
    public async Task CompleteAsync_MessageToWaitOrFinished_PayloadOutOfItsBlockOnlyWhenItWaits(MessageStatus status, bool inBlock)
    {
        var store = new InMemoryWebhookStore();
        var payload = PayloadArena.Keep("""{"type":"order.created"}"""u8);
        await store.EnqueueAsync([new DeliveryMessage { Id = "m-1", WebhookId = "wh-1", EventId = "e-1", EventType = "order.created", Payload = payload, CreatedAt = Now, NextAttemptAt = Now }], default);
        var lease = (await store.ClaimDueAsync(Now, 1, TimeSpan.FromMinutes(1), default)).Single();

        // Retrying: due later; Created with no due time: held.
        var outcome = lease.Message with { Status = status, NextAttemptAt = status == MessageStatus.Retrying ? Now.AddMinutes(5) : null };
        await store.CompleteAsync([new MessageOutcome(lease.LeaseId, outcome, null)], default);

        var stored = (await store.GetMessageAsync("m-1", default))!;
        Assert.That((PayloadArena.Holds(stored.Payload), stored.Payload.Span.SequenceEqual(payload.Span)), Is.EqualTo((inBlock, true)));
    }
    [Test]
    public async Task Publish_ToTheInMemoryStore_PayloadInASharedBlockAsSentThenOutOfItOnFailure()
    {
        await using var host = await Engine.EngineHost.StartAsync(o => o.Retry.Schedule = [TimeSpan.FromMinutes(1)]);
        host.Receiver.Respond(_ => Webhooks.Core.Testing.ReceiverAnswer.Status(500));
        var webhook = (await host.CreateAsync()).Webhook;
        var store = host.Host.Services.GetRequiredService<IWebhookStore>();

        var id = (await host.PublishAsync("evt_1")).MessageIds.Single();
        var published = (await store.GetMessageAsync(id, default))!.Payload;
        await host.WaitForMessageAsync(webhook.Id, id, d => d.Message.Status == MessageStatus.Retrying, "first attempt failed");
        var stored = (await store.GetMessageAsync(id, default))!.Payload;

        Assert.Multiple(() =>
        {
            Assert.That(host.Receiver.Requests.Single().Body.ToArray(), Is.EqualTo(published.ToArray()), "the bytes sent");
            Assert.That((PayloadArena.Holds(published), PayloadArena.Holds(stored), stored.Span.SequenceEqual(published.Span)), Is.EqualTo((true, false, true)));
        });
    }
}
