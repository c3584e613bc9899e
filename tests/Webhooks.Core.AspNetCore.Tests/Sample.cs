using System.Text;

namespace Webhooks.Core.AspNetCore.Tests;

/// <summary>Test data.</summary>
internal static class Sample
{
    public static readonly DateTimeOffset Created = new(2025, 1, 31, 8, 0, 0, TimeSpan.Zero);

    public static WebhookConfig Webhook(string id, string? tenantId = null) => new()
    {
        Id = id,
        TenantId = tenantId,
        Name = "Orders",
        Url = "https://receiver.example/hooks",
        EventTypes = ["order.*"],
        EventFilter = "operation eq 'Created'",
        Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["X-Api-Key"] = "top-secret-value", ["X-Region"] = "eu" },
        Secrets = [new WebhookSecret { Key = "whsec_c2VjcmV0LXNob3VsZC1uZXZlci1sZWFrLTEyMzQ=", CreatedAt = Created }],
        State = WebhookState.Enabled,
        Status = WebhookStatus.Active,
        StatusReason = "Webhook handshake accepted.",
        VerificationMode = VerificationMode.Challenge,
        CreatedAt = Created,
        UpdatedAt = Created,
        Generation = 1,
    };

    // The management API tests' caller is tenant "acme".
    public static DeliveryMessage Message(string id, string webhookId, MessageStatus status = MessageStatus.Retrying, string? tenantId = "acme") => new()
    {
        Id = id,
        WebhookId = webhookId,
        TenantId = tenantId,
        EventId = "evt_1",
        EventType = "order.created",
        Payload = Encoding.UTF8.GetBytes("""{"type":"order.created","timestamp":"2025-01-31T08:00:00Z","data":{"orderId":42}}"""),
        Status = status,
        AttemptCount = 1,
        CreatedAt = Created,
        LastAttempt = Attempt(1),
    };

    public static DeliveryAttempt Attempt(int number) => new()
    {
        Number = number,
        Timestamp = Created.AddSeconds(number),
        Url = "https://receiver.example/hooks",
        StatusCode = 503,
        Duration = TimeSpan.FromMilliseconds(12.5),
        ResponseBody = "busy",
        Error = "The receiver answered 503.",
    };
}
