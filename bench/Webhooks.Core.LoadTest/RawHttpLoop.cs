using System.Diagnostics;

namespace Webhooks.Core.LoadTest;

/// <summary>The baseline: the same signed requests sent by a bare HttpClient loop with the same concurrency.</summary>
internal sealed class RawHttpLoop(CountingReceiver receiver, int concurrency)
{
    private readonly SignedSender _sender = new(receiver, concurrency);
    private readonly byte[] _body = Payloads.OrderBody(0);

    public async Task<double> RunAsync(int count)
    {
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var headers = new List<KeyValuePair<string, string>>(3);
            while (Interlocked.Increment(ref next) < count)
            {
                using var request = _sender.CreateRequest("msg_" + next, _body, headers);
                using var response = await _sender.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                SignedSender.EnsureDelivered(response);
            }
        });
        await Task.WhenAll(workers);
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
