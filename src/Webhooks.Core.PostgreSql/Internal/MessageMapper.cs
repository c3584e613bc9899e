using System.Runtime.InteropServices;
using System.Text.Json;
using Npgsql;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>Turns messages and attempts into rows and back.</summary>
internal static class MessageMapper
{
    /// <summary>The columns <see cref="Read"/> expects, in order.</summary>
    public const string Columns =
        "id, webhook_id, tenant_id, event_id, event_type, payload, status, status_reason, attempt_count, next_attempt_at, created_at, last_attempt::text";

    /// <summary>The columns <see cref="ReadAttempt"/> expects, in order.</summary>
    public const string AttemptColumns = "number, attempted_at, url, status_code, duration_ticks, response_body, error";

    public static DeliveryMessage Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        WebhookId = reader.GetString(1),
        TenantId = reader.IsDBNull(2) ? null : reader.GetString(2),
        EventId = reader.GetString(3),
        EventType = reader.GetString(4),
        Payload = reader.GetFieldValue<byte[]>(5),
        Status = (MessageStatus)reader.GetInt16(6),
        StatusReason = reader.IsDBNull(7) ? null : reader.GetString(7),
        AttemptCount = reader.GetInt32(8),
        NextAttemptAt = reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(10),
        LastAttempt = reader.IsDBNull(11) ? null : DeserializeAttempt(reader.GetString(11)),
    };

    public static DeliveryAttempt ReadAttempt(NpgsqlDataReader reader) => new()
    {
        Number = reader.GetInt32(0),
        Timestamp = reader.GetFieldValue<DateTimeOffset>(1),
        Url = reader.GetString(2),
        StatusCode = reader.IsDBNull(3) ? null : reader.GetInt32(3),
        Duration = TimeSpan.FromTicks(reader.GetInt64(4)),
        ResponseBody = reader.IsDBNull(5) ? null : reader.GetString(5),
        Error = reader.IsDBNull(6) ? null : reader.GetString(6),
    };

    /// <summary>The attempt as a <c>jsonb</c> document; U+0000, which jsonb refuses even escaped, becomes U+FFFD.</summary>
    public static string? SerializeAttempt(DeliveryAttempt? attempt) => attempt is null
        ? null
        : JsonSerializer.Serialize(
            new AttemptDocument
            {
                Number = attempt.Number,
                Timestamp = attempt.Timestamp,
                Url = StoredText.Cleaned(attempt.Url),
                StatusCode = attempt.StatusCode,
                DurationTicks = attempt.Duration.Ticks,
                ResponseBody = StoredText.Cleaned(attempt.ResponseBody),
                Error = StoredText.Cleaned(attempt.Error),
            },
            StoreJsonContext.Default.AttemptDocument);

    /// <summary>Npgsql writes only UTC offsets to <c>timestamptz</c>.</summary>
    public static DateTimeOffset Utc(DateTimeOffset value) => value.ToUniversalTime();

    /// <summary>The payload as one array for a parameter: the array behind it when it spans all of one, else a copy.</summary>
    public static byte[] WholeArray(ReadOnlyMemory<byte> payload) =>
        MemoryMarshal.TryGetArray(payload, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : payload.ToArray();

    /// <inheritdoc cref="Utc(DateTimeOffset)"/>
    public static DateTimeOffset? Utc(DateTimeOffset? value) => value?.ToUniversalTime();

    private static DeliveryAttempt DeserializeAttempt(string json)
    {
        var document = JsonSerializer.Deserialize(json, StoreJsonContext.Default.AttemptDocument)
            ?? throw new InvalidOperationException("A stored attempt is empty.");
        return new DeliveryAttempt
        {
            Number = document.Number,
            Timestamp = document.Timestamp,
            Url = document.Url,
            StatusCode = document.StatusCode,
            Duration = TimeSpan.FromTicks(document.DurationTicks),
            ResponseBody = document.ResponseBody,
            Error = document.Error,
        };
    }
}
