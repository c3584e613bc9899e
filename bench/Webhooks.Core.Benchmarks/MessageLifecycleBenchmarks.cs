using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;

namespace Webhooks.Core.Benchmarks;

/// <summary>
/// What the in-memory store costs per message over its whole life, against the least a hand-off costs: 100 new
/// messages stored, claimed under a lease and completed with one successful attempt, the store keeping the last 10,000
/// finished ones (so retention evicts as it would under load); the baseline puts the same messages through a
/// <see cref="ConcurrentQueue{T}"/> and records nothing.
/// </summary>
[MemoryDiagnoser]
public class MessageLifecycleBenchmarks
{
    private const int BatchSize = 100;
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);
    private static readonly byte[] Payload = new byte[1024];

    private readonly DeliveryMessage[] _batch = new DeliveryMessage[BatchSize];
    private readonly MessageOutcome[] _outcomes = new MessageOutcome[BatchSize];
    private readonly ConcurrentQueue<DeliveryMessage> _queue = new();
    private InMemoryWebhookStore _store = null!;
    private long _sequence;

    [GlobalSetup]
    public void Setup()
    {
        _store = new InMemoryWebhookStore(new InMemoryStoreOptions { MaxFinishedMessages = 10_000 });
        if (InMemoryStore().AsTask().Result != BatchSize || BareQueue() != BatchSize)
        {
            throw new InvalidOperationException("A batch did not go through.");
        }
    }

    [Benchmark(Baseline = true, Description = "100 messages through a ConcurrentQueue")]
    public int BareQueue()
    {
        NewBatch();
        foreach (var message in _batch)
        {
            _queue.Enqueue(message);
        }

        var taken = 0;
        while (_queue.TryDequeue(out _))
        {
            taken++;
        }

        return taken;
    }

    [Benchmark(Description = "100 messages stored, claimed, completed")]
    public async ValueTask<int> InMemoryStore()
    {
        NewBatch();
        await _store.EnqueueAsync(_batch, default);
        var leases = await _store.ClaimDueAsync(Now, BatchSize, LeaseDuration, default);
        for (var i = 0; i < leases.Count; i++)
        {
            var attempt = new DeliveryAttempt { Number = 1, Timestamp = Now, Url = "https://receiver.example/hook", StatusCode = 200, Duration = TimeSpan.FromMilliseconds(1) };
            var message = leases[i].Message;
            _outcomes[i] = new MessageOutcome(
                leases[i].LeaseId,
                message with { Status = MessageStatus.Success, AttemptCount = 1, NextAttemptAt = null, LastAttempt = attempt },
                attempt);
        }

        return await _store.CompleteAsync(new ArraySegment<MessageOutcome>(_outcomes, 0, leases.Count), default);
    }

    private void NewBatch()
    {
        for (var i = 0; i < BatchSize; i++)
        {
            var n = ++_sequence;
            _batch[i] = new DeliveryMessage
            {
                Id = $"msg-{n:D12}",
                WebhookId = "wh-1",
                EventId = $"evt-{n:D12}",
                EventType = "order.created",
                Payload = Payload,
                CreatedAt = Now,
                NextAttemptAt = Now,
            };
        }
    }
}
