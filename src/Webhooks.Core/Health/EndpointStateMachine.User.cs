using Webhooks.Core.Internal;

namespace Webhooks.Core;

/// <content>The changes only the user makes: creating, enabling and disabling a webhook.</content>
public sealed partial class EndpointStateMachine
{
    /// <summary>
    /// Sets the initial status of a new webhook from its <see cref="WebhookConfig.State"/> and
    /// <see cref="WebhookConfig.VerificationMode"/>, with an empty health window.
    /// </summary>
    /// <remarks>
    /// Enabled with <see cref="VerificationMode.None"/>: Active ("Webhook created."). Enabled with another mode: Pending
    /// ("Webhook created; verification pending."), verification then reports through <see cref="VerificationSucceeded"/>
    /// or <see cref="VerificationFailed"/>. Disabled: Disabled ("Webhook created disabled.").
    /// </remarks>
    /// <param name="config">The webhook about to be stored for the first time.</param>
    /// <returns>The transition; it raises no notification.</returns>
    public EndpointTransition Create(WebhookConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var created = config.State == WebhookState.Disabled
            ? config with { Status = WebhookStatus.Disabled, StatusReason = StatusReasons.CreatedDisabled }
            : StartVerification(config, StatusReasons.Created, StatusReasons.CreatedPending);
        return Move(config, created with { Health = default }, null);
    }

    /// <summary>
    /// The user sets the state to Enabled: the health window starts afresh and the webhook goes to Pending while
    /// verification runs (<see cref="VerificationMode.Challenge"/>, <see cref="VerificationMode.TestEvent"/>), or straight
    /// to Active (<see cref="VerificationMode.None"/>), with the reason "User enabled the webhook.".
    /// </summary>
    /// <remarks>
    /// Idempotent: enabling a webhook that is already enabled (Pending, Active or Warning) changes nothing and does not
    /// verify it again; call <see cref="VerificationStarted"/> for that. A webhook the system disabled (Error, or Warning
    /// after a failed verification) is enabled like a user-disabled one.
    /// </remarks>
    /// <param name="config">The webhook to enable.</param>
    /// <returns>The transition; it raises no notification.</returns>
    public EndpointTransition Enable(WebhookConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (IsEnabled(config))
        {
            return Move(config, config, null);
        }

        var enabled = StartVerification(config, StatusReasons.UserEnabled, StatusReasons.UserEnabled);
        return Move(config, enabled with { State = WebhookState.Enabled, Health = default }, null);
    }

    /// <summary>
    /// The user sets the state to Disabled: State and Status become Disabled with the reason "User disabled the webhook.";
    /// events are held. Allowed from every state, including a webhook the system disabled.
    /// </summary>
    /// <remarks>Idempotent: disabling a webhook the user already disabled changes nothing.</remarks>
    /// <param name="config">The webhook to disable.</param>
    /// <returns>The transition; it raises no notification.</returns>
    public EndpointTransition Disable(WebhookConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config is { State: WebhookState.Disabled, Status: WebhookStatus.Disabled })
        {
            return Move(config, config, null);
        }

        var disabled = config with
        {
            State = WebhookState.Disabled,
            Status = WebhookStatus.Disabled,
            StatusReason = StatusReasons.UserDisabled,
        };
        return Move(config, disabled, null);
    }

    private static bool IsEnabled(WebhookConfig config) =>
        config.State == WebhookState.Enabled && config.Status is WebhookStatus.Pending or WebhookStatus.Active or WebhookStatus.Warning;

    private static WebhookConfig StartVerification(WebhookConfig config, string activeReason, string pendingReason) =>
        config.VerificationMode == VerificationMode.None
            ? config with { Status = WebhookStatus.Active, StatusReason = activeReason }
            : config with { Status = WebhookStatus.Pending, StatusReason = pendingReason };
}
