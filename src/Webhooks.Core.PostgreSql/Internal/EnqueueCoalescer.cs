namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>
/// Group commit for enqueues: while one insert is on its way, the enqueues that arrive meanwhile wait and then go
/// together in the next one, so concurrent publishers share statements, commits and notifications instead of queueing
/// for them one by one. A lone enqueue is written at once.
/// </summary>
/// <remarks>
/// An insert runs to the end even when the caller that started it stops waiting: cancelling an enqueue may or may not
/// store its messages. If a shared insert fails, each caller's messages are written again on their own, so one caller's
/// bad message fails only that caller.
/// </remarks>
internal sealed class EnqueueCoalescer(Func<IReadOnlyList<DeliveryMessage>, Task<HashSet<string>>> insert)
{
    private const int MaxMessages = 1_000;

    /// <summary>
    /// The most payload bytes callers share an insert with: the payloads go as one <c>bytea[]</c> value, and PostgreSQL
    /// takes at most 1 GB in one value. Without a bound, concurrent publishes of large events (a thousand of 1 MB) made
    /// one insert PostgreSQL refused, and each caller's messages were then written again on their own.
    /// </summary>
    internal const long MaxSharedPayloadBytes = 64 * 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly Queue<Request> _waiting = new();
    private bool _writing;

    public Task<IReadOnlyList<string>> EnqueueAsync(IReadOnlyList<DeliveryMessage> messages, CancellationToken cancellationToken)
    {
        var request = new Request(messages);
        bool lead;
        lock (_gate)
        {
            _waiting.Enqueue(request);
            lead = !_writing;
            _writing = true;
        }

        if (lead)
        {
            // The shared writes carry other callers' messages: they run outside this caller's ambient transaction
            // (TransactionScope), whose rollback would take the others' messages with it.
            _ = PostgreSqlWebhookStore.OutsideAmbientTransaction(WriteAllAsync);
        }

        return request.Stored.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteAllAsync()
    {
        while (true)
        {
            var batch = new List<Request>();
            var events = new HashSet<(string? TenantId, string EventId)>();
            lock (_gate)
            {
                int total = 0;
                long bytes = 0;
                while (_waiting.TryPeek(out var next)
                    && (batch.Count == 0
                        || (total + next.Messages.Count <= MaxMessages && bytes + next.PayloadBytes <= MaxSharedPayloadBytes && !Publishes(next, events))))
                {
                    batch.Add(_waiting.Dequeue());
                    total += next.Messages.Count;
                    bytes += next.PayloadBytes;
                    events.UnionWith(next.Messages.Select(static m => (m.TenantId, m.EventId)));
                }

                if (batch.Count == 0)
                {
                    _writing = false;
                    return;
                }
            }

            await WriteAsync(batch).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Tells whether <paramref name="request"/> publishes one of <paramref name="events"/> again. It then waits for
    /// the next statement: an event stores messages only in the statement that publishes it first, and in one statement
    /// two callers publishing the same event would both store theirs.
    /// </summary>
    private static bool Publishes(Request request, HashSet<(string? TenantId, string EventId)> events)
    {
        foreach (var message in request.Messages)
        {
            if (events.Contains((message.TenantId, message.EventId)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The bytes the messages' payloads take in an insert: each row holds its own copy.</summary>
    internal static long PayloadBytesOf(IReadOnlyList<DeliveryMessage> messages)
    {
        long bytes = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            bytes += messages[i].Payload.Length;
        }

        return bytes;
    }

    private async Task WriteAsync(List<Request> batch)
    {
        try
        {
            var messages = batch.Count == 1 ? batch[0].Messages : [.. batch.SelectMany(static r => r.Messages)];
            var stored = await insert(messages).ConfigureAwait(false);
            foreach (var request in batch)
            {
                request.Complete(stored);
            }
        }
        catch (Exception) when (batch.Count > 1)
        {
            foreach (var request in batch)
            {
                await WriteAsync([request]).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            batch[0].Stored.TrySetException(exception);
        }
    }

    private sealed class Request(IReadOnlyList<DeliveryMessage> messages)
    {
        public IReadOnlyList<DeliveryMessage> Messages { get; } = messages;

        public long PayloadBytes { get; } = PayloadBytesOf(messages);

        public TaskCompletionSource<IReadOnlyList<string>> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Hands the caller the ids of its messages that were stored, in its order.</summary>
        public void Complete(HashSet<string> stored)
        {
            var ids = new List<string>(Messages.Count);
            foreach (var message in Messages)
            {
                if (stored.Contains(message.Id))
                {
                    ids.Add(message.Id);
                }
            }

            Stored.TrySetResult(ids);
        }
    }
}
