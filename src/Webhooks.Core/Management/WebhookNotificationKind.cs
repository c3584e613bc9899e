namespace Webhooks.Core;

/// <summary>The kinds of <see cref="WebhookNotification"/>.</summary>
public enum WebhookNotificationKind
{
    /// <summary>The system disabled a webhook (repeated failures, 410 Gone, failed handshake).</summary>
    WebhookDisabled,

    /// <summary>A webhook went back to Active after a Warning.</summary>
    WebhookRecovered,

    /// <summary>A webhook went to Warning.</summary>
    WebhookWarning,

    /// <summary>A message became undeliverable.</summary>
    MessageFailed,
}
