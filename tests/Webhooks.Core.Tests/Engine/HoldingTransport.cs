namespace Webhooks.Core.Tests.Engine;

/// <summary>A request <see cref="HoldingTransport"/> holds, with the answer the test gives it.</summary>
internal sealed record HeldRequest(DeliveryRequest Request, string MessageId, TaskCompletionSource<DeliveryResult> Answer)
{
    public void Respond(int statusCode) => Answer.SetResult(new DeliveryResult { StatusCode = statusCode, ResponseBody = string.Empty });
}

/// <summary>
/// A transport that holds every request until the test answers it, so that an attempt stays in flight exactly as long
/// as a test needs; it counts the requests of each message, and how many of them were in flight at once.
/// </summary>
internal sealed class HoldingTransport : IDeliveryTransport
{
    private readonly Lock _lock = new();
    private readonly Queue<HeldRequest> _arrived = new();
    private readonly SemaphoreSlim _arrivals = new(0);
    private readonly Dictionary<string, (int InFlight, int MostInFlight, int Sent)> _byMessage = new(StringComparer.Ordinal);
    private int _sent;

    public int Sent => Volatile.Read(ref _sent);

    public int SentFor(string messageId)
    {
        lock (_lock)
        {
            return _byMessage.GetValueOrDefault(messageId).Sent;
        }
    }

    public int MostInFlightFor(string messageId)
    {
        lock (_lock)
        {
            return _byMessage.GetValueOrDefault(messageId).MostInFlight;
        }
    }

    /// <summary>Waits, with a deadline, for the next request to arrive.</summary>
    public async Task<HeldRequest> NextAsync()
    {
        if (!await _arrivals.WaitAsync(Eventually.Deadline))
        {
            throw new TimeoutException("No request arrived.");
        }

        lock (_lock)
        {
            return _arrived.Dequeue();
        }
    }

    public async ValueTask<DeliveryResult> SendAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        var messageId = request.Headers.First(h => h.Key == StandardWebhooksHeaders.Id).Value;
        var held = new HeldRequest(request, messageId, new TaskCompletionSource<DeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_lock)
        {
            var counts = _byMessage.GetValueOrDefault(messageId);
            _byMessage[messageId] = (counts.InFlight + 1, Math.Max(counts.MostInFlight, counts.InFlight + 1), counts.Sent + 1);
            _sent++;
            _arrived.Enqueue(held);
        }

        _arrivals.Release();
        try
        {
            return await held.Answer.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            lock (_lock)
            {
                var counts = _byMessage[messageId];
                _byMessage[messageId] = counts with { InFlight = counts.InFlight - 1 };
            }
        }
    }
}
