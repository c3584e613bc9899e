using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace Webhooks.Core.LoadTest;

/// <summary>
/// A reference point between the bare loop and the engine: the least any background sender does. Publishers write
/// each event's body and queue it in memory; as many senders as the bare loop has workers take, sign and send. No
/// store, no idempotency, no log, no health: what it loses against the bare loop is the cost of the hand-off itself.
/// </summary>
internal sealed class QueuedHttpLoop(CountingReceiver receiver, int concurrency, int publishers)
{
    private readonly SignedSender _sender = new(receiver, concurrency);

    public async Task<double> RunAsync(WebhookEvent[] events)
    {
        var queue = Channel.CreateUnbounded<(string Id, byte[] Body)>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
        var count = events.Length;
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        var senders = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => SendAllAsync(queue.Reader))).ToArray();
        await Task.WhenAll(Enumerable.Range(0, publishers).Select(_ => Task.Run(() =>
        {
            var buffer = new ArrayBufferWriter<byte>(4096);
            using var writer = new Utf8JsonWriter(buffer);
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var e = events[i];
                buffer.ResetWrittenCount();
                writer.Reset(buffer);
                writer.WriteStartObject();
                writer.WriteString("type"u8, e.Type);
                writer.WriteString("timestamp"u8, DateTime.UtcNow);
                writer.WritePropertyName("data"u8);
                writer.WriteRawValue(e.Data.Span, skipInputValidation: true);
                writer.WriteEndObject();
                writer.Flush();
                queue.Writer.TryWrite((SignedSender.MessageId(i), buffer.WrittenSpan.ToArray()));
            }
        })));
        queue.Writer.Complete();
        await Task.WhenAll(senders);
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private async Task SendAllAsync(ChannelReader<(string Id, byte[] Body)> reader)
    {
        var headers = new List<KeyValuePair<string, string>>(3);
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var item))
            {
                using var request = _sender.CreateRequest(item.Id, item.Body, headers);
                using var response = await _sender.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                SignedSender.EnsureDelivered(response);
            }
        }
    }
}
