using System.Text.Json;

namespace Webhooks.Core.LoadTest;

/// <summary>A realistic order event of about 1 KB.</summary>
internal static class Payloads
{
    private static readonly OrderLine[] Lines = [.. Enumerable.Range(1, 8).Select(i =>
        new OrderLine($"SKU-{i:D6}", $"Item number {i} with a descriptive name", i, i * 3.5m, $"eu-west-{i % 3}"))];

    public static Order Order(int sequence) => new(
        $"ord_{sequence:D8}",
        new Customer($"cus_{sequence % 997:D6}", $"Customer {sequence % 997}", $"customer{sequence % 997}@example.com"),
        "EUR",
        (sequence % 1000) + 0.99m,
        Lines);

    /// <summary>
    /// The event as a host publishes it: its data serialized from an object (<see cref="WebhookEvent.Create{T}"/>),
    /// or given as JSON text (<see cref="WebhookEvent.FromJson"/>), which the engine validates when it publishes.
    /// </summary>
    public static WebhookEvent OrderEvent(string id, int sequence, bool rawJson) => rawJson
        ? WebhookEvent.FromJson(id, "order.created", JsonSerializer.Serialize(Order(sequence), JsonSerializerOptions.Web))
        : WebhookEvent.Create(id, "order.created", Order(sequence));

    /// <summary>
    /// The bodies of a run of <paramref name="count"/> events, for the reference loops: each event's own, as the engine
    /// sends them, so that the baseline reads as many distinct bodies from memory as the engine does.
    /// </summary>
    public static byte[][] OrderBodies(int count) => [.. Enumerable.Range(0, count).Select(OrderBody)];

    /// <summary>The body the engine sends for <see cref="OrderEvent"/>, for the reference loops.</summary>
    public static byte[] OrderBody(int sequence)
    {
        using var body = new MemoryStream();
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "order.created");
            writer.WriteString("timestamp", DateTime.UtcNow); // as the engine writes an event's time: to the tick
            writer.WritePropertyName("data");
            JsonSerializer.Serialize(writer, Order(sequence), JsonSerializerOptions.Web);
            writer.WriteEndObject();
        }

        return body.ToArray();
    }
}

internal sealed record Order(string OrderId, Customer Customer, string Currency, decimal Total, IReadOnlyList<OrderLine> Lines);

internal sealed record Customer(string Id, string Name, string Email);

internal sealed record OrderLine(string Sku, string Name, int Quantity, decimal UnitPrice, string Warehouse);
