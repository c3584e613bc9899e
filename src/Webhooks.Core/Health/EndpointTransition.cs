namespace Webhooks.Core;

/// <summary>The outcome of one <see cref="EndpointStateMachine"/> operation: the changed webhook and what the host should announce.</summary>
/// <param name="Config">The webhook after the operation, to be stored. Equal to the input when nothing changed.</param>
/// <param name="PreviousState">The state before the operation.</param>
/// <param name="PreviousStatus">The status before the operation.</param>
/// <param name="Notification">
/// The notification the host should raise, or <see langword="null"/> for none: the system disabled the webhook,
/// it went to Warning, or it recovered from Warning. Changes the user asked for raise none.
/// </param>
public sealed record EndpointTransition(
    WebhookConfig Config,
    WebhookState PreviousState,
    WebhookStatus PreviousStatus,
    WebhookNotificationKind? Notification)
{
    /// <summary>Gets a value indicating whether the state or the status changed.</summary>
    public bool StatusChanged => Config.State != PreviousState || Config.Status != PreviousStatus;

    /// <summary>Builds the notification to raise, with the webhook's id, tenant and status reason.</summary>
    /// <returns>The notification, or <see langword="null"/> when <see cref="Notification"/> is <see langword="null"/>.</returns>
    public WebhookNotification? ToNotification() => Notification is { } kind
        ? new WebhookNotification(kind, Config.Id, Config.TenantId, Config.StatusReason ?? string.Empty)
        : null;
}
