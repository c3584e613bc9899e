using System.Buffers;
using System.Text.Json;

namespace Webhooks.Core.Internal;

/// <summary>Writes the Standard Webhooks body <c>{"type": …, "timestamp": …, "data": …}</c>: the bytes stored, signed and sent.</summary>
internal static class WebhookPayload
{
    public static byte[] Create(string type, DateTimeOffset timestamp, ReadOnlySpan<byte> data)
    {
        var buffer = new ArrayBufferWriter<byte>(data.Length + type.Length + 64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, type);
            writer.WriteString("timestamp"u8, timestamp.UtcDateTime);
            writer.WritePropertyName("data"u8);
            try
            {
                writer.WriteRawValue(data);
            }
            catch (JsonException ex)
            {
                throw new ArgumentException($"The event data is not valid JSON: {ex.Message}", "webhookEvent", ex);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
