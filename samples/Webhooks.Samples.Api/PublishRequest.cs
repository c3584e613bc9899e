using System.Text.Json;

namespace Webhooks.Samples.Api;

/// <summary>The body of <c>POST /events</c>.</summary>
/// <param name="Type">The event type, for example <c>order.created</c>.</param>
/// <param name="Data">The event data.</param>
/// <param name="Id">The idempotency key; a new one when absent.</param>
/// <param name="WebhookId">Send only to this webhook (or to the tenant's default with <c>"default"</c>) instead of broadcasting.</param>
public sealed record PublishRequest(string Type, JsonElement Data, string? Id = null, string? WebhookId = null);
