namespace Webhooks.Core;

/// <summary>An operational event of the library, raised in-process for the host to act on (alert, e-mail, audit).</summary>
/// <param name="Kind">What happened.</param>
/// <param name="WebhookId">The webhook concerned.</param>
/// <param name="TenantId">The webhook's tenant.</param>
/// <param name="Reason">A human-readable reason.</param>
/// <param name="MessageId">The message concerned, for <see cref="WebhookNotificationKind.MessageFailed"/>.</param>
public sealed record WebhookNotification(WebhookNotificationKind Kind, string WebhookId, string? TenantId, string Reason, string? MessageId = null);
