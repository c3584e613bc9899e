using System.Text;
using System.Text.Json;

namespace Webhooks.Core;

/// <summary>Something that happened in the host, to be delivered to the webhooks that subscribe to it.</summary>
public sealed record WebhookEvent
{
    /// <summary>Gets the idempotency key: publishing the same id twice for a tenant creates no new messages.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the event type, for example <c>order.created</c> or <c>compute-ops/alert</c>.</summary>
    public required string Type { get; init; }

    /// <summary>Gets when the event happened; <see langword="null"/> to use the publish time.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Gets the tenant the event belongs to; <see langword="null"/> for the default tenant.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the event data as UTF-8 JSON (an object, usually).</summary>
    public ReadOnlyMemory<byte> Data { get; init; } = "{}"u8.ToArray();

    /// <summary>Creates an event whose data is <paramref name="data"/> serialized to JSON.</summary>
    /// <typeparam name="T">The data type.</typeparam>
    /// <param name="id">The event id.</param>
    /// <param name="type">The event type.</param>
    /// <param name="data">The data.</param>
    /// <param name="options">Serializer options; <see langword="null"/> for web defaults (camelCase).</param>
    public static WebhookEvent Create<T>(string id, string type, T data, JsonSerializerOptions? options = null) => new()
    {
        Id = id,
        Type = type,
        Data = JsonSerializer.SerializeToUtf8Bytes(data, options ?? JsonSerializerOptions.Web),
    };

    /// <summary>Creates an event from JSON text.</summary>
    /// <param name="id">The event id.</param>
    /// <param name="type">The event type.</param>
    /// <param name="json">The data as JSON text.</param>
    public static WebhookEvent FromJson(string id, string type, string json) => new()
    {
        Id = id,
        Type = type,
        Data = Encoding.UTF8.GetBytes(json),
    };
}
