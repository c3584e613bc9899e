using System.Buffers;
using System.Text.Json;

namespace Webhooks.Core.Internal;

/// <summary>Writes the Standard Webhooks body <c>{"type": …, "timestamp": …, "data": …}</c>: the bytes stored, signed and sent.</summary>
internal static class WebhookPayload
{
    // Bodies are written into a buffer and writer kept per thread, so publishing allocates the stored bytes only.
    [ThreadStatic]
    private static ScratchWriter? _scratch;

    /// <summary>Writes the body around <paramref name="data"/>.</summary>
    /// <param name="type">The event type.</param>
    /// <param name="timestamp">When the event happened.</param>
    /// <param name="data">The event data, UTF-8 JSON.</param>
    /// <param name="dataIsJson">Whether the serializer wrote <paramref name="data"/>, so that it need not be validated (validating 1 KB costs about 2 us).</param>
    /// <param name="shared">Whether the body goes to the in-memory store, which keeps it in a shared block (<see cref="PayloadArena"/>).</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> is not valid JSON.</exception>
    public static ReadOnlyMemory<byte> Create(string type, DateTimeOffset timestamp, ReadOnlySpan<byte> data, bool dataIsJson, bool shared = false)
    {
        var scratch = _scratch ??= new ScratchWriter();
        var writer = scratch.Start();
        try
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, type);
            writer.WriteString("timestamp"u8, timestamp.UtcDateTime);
            writer.WritePropertyName("data"u8);
            if (data.IsEmpty)
            {
                throw new ArgumentException(WebhookEvent.EmptyDataProblem, "webhookEvent");
            }

            try
            {
                writer.WriteRawValue(data, skipInputValidation: dataIsJson);
            }
            catch (JsonException ex)
            {
                throw new ArgumentException($"The event data is not valid JSON: {ex.Message}", "webhookEvent", ex);
            }

            writer.WriteEndObject();
            writer.Flush();
            return shared ? PayloadArena.Keep(scratch.Buffer.WrittenSpan) : scratch.Buffer.WrittenSpan.ToArray();
        }
        finally
        {
            scratch.Finish();
        }
    }

    private sealed class ScratchWriter
    {
        // A body larger than this is written in a buffer of its own, so one huge event does not pin memory to a thread.
        private const int KeptCapacity = 64 * 1024;

        public ArrayBufferWriter<byte> Buffer { get; private set; } = new(4096);

        private Utf8JsonWriter? _writer;

        public Utf8JsonWriter Start()
        {
            if (_writer is null)
            {
                _writer = new Utf8JsonWriter(Buffer);
            }
            else
            {
                _writer.Reset(Buffer);
            }

            return _writer;
        }

        public void Finish()
        {
            if (Buffer.Capacity > KeptCapacity)
            {
                Buffer = new ArrayBufferWriter<byte>(4096);
            }
            else
            {
                Buffer.ResetWrittenCount();
            }
        }
    }
}
