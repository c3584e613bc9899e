namespace Webhooks.Core;

/// <summary>A webhook together with a secret shown to its owner once, on creation or rotation.</summary>
/// <param name="Webhook">The webhook.</param>
/// <param name="Secret">The new primary secret.</param>
public sealed record WebhookWithSecret(WebhookConfig Webhook, string Secret);
