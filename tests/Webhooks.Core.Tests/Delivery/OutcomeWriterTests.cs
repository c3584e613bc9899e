using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using Webhooks.Core.Internal;
using Webhooks.Core.Tests.Engine;

namespace Webhooks.Core.Tests.Delivery;

/// <summary>The dispatcher's batched outcome writes, against a store whose writes fail for a while.</summary>
public sealed class OutcomeWriterTests
{
    private FakeTimeProvider _time = null!;
    private List<string[]> _writes = null!;
    private int _failuresLeft;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(EngineHost.Start);
        _writes = [];
    }

    [Test]
    public async Task StoreFailsEveryTryOfABatch_AnOutcomeQueuedMeanwhileGetsTriesOfItsOwn()
    {
        _failuresLeft = 4; // The first write and its three tries.
        var writer = new OutcomeWriter(Store(), _time, NullLogger.Instance);

        writer.Add(Outcome("msg_first"));
        writer.Add(Outcome("msg_joined")); // Queued while the first write waits to be made again.
        await AdvanceUntilAsync(() => _writes.Count >= 4, "the first batch's tries");
        await writer.DrainAsync();

        Assert.That(_writes.Select(static w => string.Join(',', w)).ToArray(), Is.EqualTo(new[]
        {
            "msg_first", "msg_first", "msg_first", "msg_first", "msg_joined",
        }));
    }

    [Test]
    public async Task StoreFailsOnce_TheBatchIsWrittenOnItsNextTry()
    {
        _failuresLeft = 1;
        var writer = new OutcomeWriter(Store(), _time, NullLogger.Instance);

        writer.Add(Outcome("msg_once"));
        await AdvanceUntilAsync(() => _writes.Count >= 2, "the second try");
        await writer.DrainAsync();

        Assert.That(_writes.Select(static w => string.Join(',', w)).ToArray(), Is.EqualTo(new[] { "msg_once", "msg_once" }));
    }

    // A postponement is written only while its message is as claimed: such outcomes go to the conditional write, apart
    // from the others, and each one the store refuses is handed back with the message as the store has it.
    [Test]
    public async Task ConditionalOutcomes_WrittenIfUnchanged_TheRefusedHandedBackWithTheCurrentMessage()
    {
        var store = Store();
        var changedMeanwhile = Outcome("msg_changed").Message with { Status = MessageStatus.Cancelled };
        var conditional = new List<string>();
        store.CompleteIfUnchangedAsync(Arg.Any<IReadOnlyList<MessageOutcome>>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            var outcomes = call.Arg<IReadOnlyList<MessageOutcome>>();
            conditional.AddRange(outcomes.Select(static o => o.Message.Id));
            return ValueTask.FromResult<IReadOnlyList<DeliveryMessage>>([.. outcomes.Where(static o => o.Message.Id == "msg_changed").Select(_ => changedMeanwhile)]);
        });
        var refused = new List<(string Id, MessageStatus Now)>();
        var writer = new OutcomeWriter(store, _time, NullLogger.Instance, (outcome, current) =>
        {
            refused.Add((outcome.Message.Id, current.Status));
            return ValueTask.CompletedTask;
        });

        writer.Add(Outcome("msg_plain"));
        writer.Add(Conditional("msg_unchanged"));
        writer.Add(Conditional("msg_changed"));
        await writer.DrainAsync();

        Assert.Multiple(() =>
        {
            Assert.That(_writes.SelectMany(static w => w), Is.EqualTo(new[] { "msg_plain" }), "written whatever the message is now");
            Assert.That(conditional, Is.EquivalentTo(new[] { "msg_unchanged", "msg_changed" }), "written only if unchanged");
            Assert.That(refused, Is.EqualTo(new[] { ("msg_changed", MessageStatus.Cancelled) }));
        });
    }

    private IWebhookStore Store()
    {
        var store = Substitute.For<IWebhookStore>();
        store.CompleteAsync(Arg.Any<IReadOnlyList<MessageOutcome>>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            var outcomes = call.Arg<IReadOnlyList<MessageOutcome>>();
            lock (_writes)
            {
                _writes.Add([.. outcomes.Select(static o => o.Message.Id)]);
                return _failuresLeft-- > 0
                    ? ValueTask.FromException<int>(new IOException("The store is unreachable."))
                    : ValueTask.FromResult(outcomes.Count);
            }
        });
        return store;
    }

    // The writer waits for its next try on the fake clock: move it on a second at a time until the writes are seen.
    private async Task AdvanceUntilAsync(Func<bool> done, string what) =>
        await Eventually.HoldsAsync(
            () =>
            {
                lock (_writes)
                {
                    if (done())
                    {
                        return Task.FromResult(true);
                    }
                }

                _time.Advance(TimeSpan.FromSeconds(1));
                return Task.FromResult(false);
            },
            () => what);

    private static MessageOutcome Conditional(string id)
    {
        var outcome = Outcome(id);
        return outcome with { Expected = outcome.Message };
    }

    private static MessageOutcome Outcome(string id) => new(
        Guid.NewGuid(),
        new DeliveryMessage { Id = id, WebhookId = "wh_1", EventId = "evt_" + id, EventType = "order.created", Status = MessageStatus.Success, CreatedAt = EngineHost.Start },
        null);
}
