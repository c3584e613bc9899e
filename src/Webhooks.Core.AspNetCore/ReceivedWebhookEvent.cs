using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Webhooks.Core.AspNetCore;

/// <summary>A delivery whose signature, timestamp and uniqueness were verified, as handed to a receiver's handler.</summary>
public sealed record ReceivedWebhookEvent
{
    /// <summary>Gets the message id (<c>webhook-id</c>); the same on every attempt of one message, so use it to deduplicate.</summary>
    public required string Id { get; init; }

    /// <summary>Gets when this attempt was signed (<c>webhook-timestamp</c>).</summary>
    public required DateTimeOffset SignedAt { get; init; }

    /// <summary>
    /// Gets the event type, for example <c>order.created</c>; empty for a body that is not an event, taken when
    /// <see cref="WebhookReceiverOptions.RequireEvent"/> is off.
    /// </summary>
    public required string Type { get; init; }

    /// <summary>Gets when the event happened, when the payload says.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Gets the event data; for a body that is not an event, the whole body when it is JSON, undefined otherwise.</summary>
    public JsonElement Data { get; init; }

    /// <summary>Gets the raw body exactly as signed.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Reads <see cref="Data"/> as <typeparamref name="T"/> with web defaults (camelCase, case-insensitive).</summary>
    /// <typeparam name="T">The data type.</typeparam>
    public T? GetData<T>() => Data.Deserialize<T>(JsonSerializerOptions.Web);

    /// <summary>Reads <see cref="Data"/> as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The data type.</typeparam>
    /// <param name="options">The serializer options.</param>
    public T? GetData<T>(JsonSerializerOptions options) => Data.Deserialize<T>(options);

    /// <summary>Reads <see cref="Data"/> as <typeparamref name="T"/> with source-generated metadata.</summary>
    /// <typeparam name="T">The data type.</typeparam>
    /// <param name="typeInfo">The metadata of <typeparamref name="T"/>.</param>
    public T? GetData<T>(JsonTypeInfo<T> typeInfo) => Data.Deserialize(typeInfo);
}
