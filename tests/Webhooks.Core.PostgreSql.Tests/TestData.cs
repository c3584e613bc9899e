using System.Text;

namespace Webhooks.Core.PostgreSql.Tests;

internal static class TestData
{
    public static WebhookConfig Config(string id, string? tenantId = "tenant-1", DateTimeOffset? createdAt = null) => new()
    {
        Id = id,
        TenantId = tenantId,
        Name = "Orders " + id,
        Url = "https://example.com/hooks/" + id,
        EventTypes = ["order.created", "invoice.*"],
        EventFilter = "type eq 'order.created'",
        Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["x-api-key"] = "key-" + id },
        Secrets = [new WebhookSecret { Key = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", CreatedAt = createdAt ?? DateTimeOffset.UnixEpoch }],
        State = WebhookState.Enabled,
        Status = WebhookStatus.Active,
        StatusReason = "Webhook handshake accepted.",
        VerificationMode = VerificationMode.Challenge,
        Health = new HealthWindow(0b101, 3, 1, 0),
        CreatedAt = createdAt ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        UpdatedAt = createdAt ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        Generation = 1,
    };

    public static DeliveryMessage Message(string id, string webhookId, DateTimeOffset? nextAttemptAt, DateTimeOffset createdAt, string? eventId = null) => new()
    {
        Id = id,
        WebhookId = webhookId,
        TenantId = "tenant-1",
        EventId = eventId ?? "evt-" + id,
        EventType = "order.created",
        Payload = Encoding.UTF8.GetBytes("{\"type\":\"order.created\",\"data\":{\"id\":\"" + id + "\"}}"),
        NextAttemptAt = nextAttemptAt,
        CreatedAt = createdAt,
    };

    public static IReadOnlyList<DeliveryMessage> DueMessages(int count, string webhookId, DateTimeOffset dueAt) =>
        [.. Enumerable.Range(0, count).Select(i => Message($"msg-{webhookId}-{i:D6}", webhookId, dueAt.AddMilliseconds(i % 1000), dueAt.AddMinutes(-1)))];

    public static DeliveryAttempt Attempt(int number, DateTimeOffset at, int? statusCode) => new()
    {
        Number = number,
        Timestamp = at,
        Url = "https://example.com/hooks",
        StatusCode = statusCode,
        Duration = TimeSpan.FromMilliseconds(42),
        ResponseBody = statusCode is null ? null : "ok",
        Error = statusCode is >= 200 and < 300 ? null : "failed",
    };

    /// <summary>
    /// A string of <paramref name="length"/> random CJK characters, 3 bytes each in UTF-8: the widest a UTF-16 unit gets,
    /// and random, so that PostgreSQL cannot compress it into an index entry.
    /// </summary>
    public static string WideId(int length, int seed)
    {
        var random = new Random(seed);
        return string.Create(length, random, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)r.Next(0x4E00, 0xA000);
            }
        });
    }
}
