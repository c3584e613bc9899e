using System.Diagnostics;

namespace Webhooks.Core.LoadTest;

/// <summary>
/// Diagnostic side (<c>--transport</c>): the bare loop's requests, signed the same way, sent through the engine's
/// <see cref="IDeliveryTransport"/> by as many workers, with no publisher, store or dispatcher. Against the bare loop
/// it shows what the transport adds; against the engine, what the rest of the engine adds.
/// </summary>
internal sealed class TransportLoop(CountingReceiver receiver, IDeliveryTransport transport, int concurrency)
{
    public async Task<double> RunAsync(byte[][] bodies)
    {
        var count = bodies.Length;
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                // A list per request, as the engine's attempts have: the transport may keep it.
                var headers = new List<KeyValuePair<string, string>>(3);
                SignedSender.Sign(SignedSender.MessageId(i), bodies[i], headers);
                var request = new DeliveryRequest { WebhookId = "load", Url = receiver.Url, Body = bodies[i], Headers = headers };
                var result = await transport.SendAsync(request, CancellationToken.None);
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException($"The receiver answered {result.StatusCode}: {result.Error}");
                }
            }
        });
        await Task.WhenAll(workers);
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
