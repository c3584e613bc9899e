using System.Diagnostics;

namespace Webhooks.Core.LoadTest;

/// <summary>
/// The baseline: the same signed requests sent by a bare HttpClient loop with the same concurrency. The bodies are the
/// engine's, one per event (<see cref="Payloads.OrderBodies"/>), written before the clock starts.
/// </summary>
internal sealed class RawHttpLoop(CountingReceiver receiver, int concurrency)
{
    private readonly SignedSender _sender = new(receiver, concurrency);

    public async Task<double> RunAsync(byte[][] bodies)
    {
        var count = bodies.Length;
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var headers = new List<KeyValuePair<string, string>>(3);
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                using var request = _sender.CreateRequest(SignedSender.MessageId(i), bodies[i], headers);
                using var response = await _sender.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                SignedSender.EnsureDelivered(response);
            }
        });
        await Task.WhenAll(workers);
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
