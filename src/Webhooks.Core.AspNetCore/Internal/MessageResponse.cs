using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>A message of the delivery log; the detail view adds the payload and every attempt.</summary>
internal sealed record MessageResponse
{
    public required string Id { get; init; }

    public required string WebhookId { get; init; }

    public required string EventId { get; init; }

    public required string EventType { get; init; }

    [JsonConverter(typeof(ApiEnumConverter<MessageStatus>))]
    public MessageStatus Status { get; init; }

    public string? StatusReason { get; init; }

    public int AttemptCount { get; init; }

    public DateTimeOffset? NextAttemptAt { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public AttemptResponse? LastAttempt { get; init; }

    /// <summary>Gets the body sent on every attempt; only in the detail view.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Payload { get; init; }

    /// <summary>Gets every attempt, oldest first; only in the detail view.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AttemptResponse>? Attempts { get; init; }

    /// <summary>
    /// The nesting a payload may have: publishing takes event data of 64 levels (the JSON reader's default), and the
    /// body around it adds one.
    /// </summary>
    internal const int PayloadMaxDepth = 65;

    private static readonly JsonDocumentOptions _payloadOptions = new() { MaxDepth = PayloadMaxDepth };

    public static MessageResponse From(DeliveryMessage message) => new()
    {
        Id = message.Id,
        WebhookId = message.WebhookId,
        EventId = message.EventId,
        EventType = message.EventType,
        Status = message.Status,
        StatusReason = message.StatusReason,
        AttemptCount = message.AttemptCount,
        NextAttemptAt = message.NextAttemptAt,
        CreatedAt = message.CreatedAt,
        LastAttempt = message.LastAttempt is { } last ? AttemptResponse.From(last) : null,
    };

    public static MessageResponse From(DeliveryMessageDetail detail) => From(detail.Message) with
    {
        Payload = ReadPayload(detail.Message.Payload),
        Attempts = detail.Attempts.Select(AttemptResponse.From).ToArray(),
    };

    private static JsonElement ReadPayload(ReadOnlyMemory<byte> payload)
    {
        // The payload is the JSON body that was signed; show it as JSON, or as a string should it not parse.
        try
        {
            using var document = JsonDocument.Parse(payload, _payloadOptions);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(Encoding.UTF8.GetString(payload.Span), WebhookApiJsonContext.Default.String);
        }
    }
}
