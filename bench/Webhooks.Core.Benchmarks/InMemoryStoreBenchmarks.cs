using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Webhooks.Core.Benchmarks;

/// <summary>
/// Claims and completes a batch of 100 due messages in the in-memory store, with and without a million retries
/// scheduled for later (spread over the next 24 hours). SPEC target: the future retries slow due deliveries by 10 % at most.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(RatioToEmptyStore))]
public class InMemoryStoreBenchmarks
{
    private const int BatchSize = 100;
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);
    private static readonly string[] WebhookIds = [.. Enumerable.Range(0, 100).Select(i => $"wh-{i}")];

    private readonly MessageOutcome[] _outcomes = new MessageOutcome[BatchSize];
    private InMemoryWebhookStore _store = null!;

    [Params(0, 1_000_000)]
    public int FutureMessages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _store = new InMemoryWebhookStore();
        var payload = new byte[512];
        foreach (var batch in Enumerable.Range(0, FutureMessages).Chunk(10_000))
        {
            Enqueue(batch.Select(i => Message("future", i, payload, Now.AddSeconds(60 + (i % 86_400)))));
        }

        Enqueue(Enumerable.Range(0, BatchSize).Select(i => Message("due", i, payload, Now)));
        if (ClaimAndComplete().AsTask().Result != BatchSize)
        {
            throw new InvalidOperationException("The due batch was not claimed and completed.");
        }
    }

    /// <summary>One dispatcher round: lease the due batch, then record a retry that makes it due again at once.</summary>
    [Benchmark(Description = "Claim + complete 100 due")]
    public async ValueTask<int> ClaimAndComplete()
    {
        var leases = await _store.ClaimDueAsync(Now, BatchSize, LeaseDuration, default);
        for (var i = 0; i < leases.Count; i++)
        {
            var message = leases[i].Message;
            _outcomes[i] = new MessageOutcome(
                leases[i].LeaseId,
                message with { Status = MessageStatus.Retrying, AttemptCount = message.AttemptCount + 1, NextAttemptAt = Now },
                null);
        }

        return await _store.CompleteAsync(_outcomes, default);
    }

    private static DeliveryMessage Message(string prefix, int index, byte[] payload, DateTimeOffset dueAt) => new()
    {
        Id = $"{prefix}-{index}",
        WebhookId = WebhookIds[index % WebhookIds.Length],
        EventId = $"{prefix}-{index}",
        EventType = "order.created",
        Payload = payload,
        CreatedAt = Now,
        NextAttemptAt = dueAt,
    };

    private void Enqueue(IEnumerable<DeliveryMessage> messages) => _store.EnqueueAsync([.. messages], default).AsTask().Wait();

    private sealed class RatioToEmptyStore : ManualConfig
    {
        public RatioToEmptyStore() => AddColumn(new ParameterRatioColumn(nameof(FutureMessages), 0));
    }
}
