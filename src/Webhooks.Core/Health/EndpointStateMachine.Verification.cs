using Webhooks.Core.Internal;

namespace Webhooks.Core;

/// <content>Verification of an enabled webhook's endpoint and its outcome.</content>
public sealed partial class EndpointStateMachine
{
    /// <summary>
    /// The URL or headers of an enabled webhook changed, or a new verification was asked for: the health window starts
    /// afresh and the webhook goes to Pending ("Webhook updated; verification pending."), or with
    /// <see cref="VerificationMode.None"/> stays or becomes Active at once ("Webhook updated.").
    /// </summary>
    /// <remarks>Allowed from Pending (verification restarts), Active and Warning while enabled.</remarks>
    /// <param name="config">The changed webhook.</param>
    /// <returns>The transition; it raises no notification.</returns>
    /// <exception cref="InvalidTransitionException">The webhook is disabled: enabling it verifies it.</exception>
    public EndpointTransition VerificationStarted(WebhookConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var started = StartVerification(config, StatusReasons.Updated, StatusReasons.UpdatedPending);
        if (!IsEnabled(config))
        {
            throw Reject(config, WebhookState.Enabled, started.Status, "only an enabled webhook is verified; enabling it starts its verification.");
        }

        return Move(config, started with { Health = default }, null);
    }

    /// <summary>
    /// The endpoint of a Pending webhook passed verification: Active, with the reason "Webhook handshake accepted."
    /// (<see cref="VerificationMode.Challenge"/>) or "Test event accepted." (<see cref="VerificationMode.TestEvent"/>),
    /// and the health window starts afresh: the failures counted before a test are not a run the next failure continues.
    /// </summary>
    /// <param name="config">The webhook verified.</param>
    /// <returns>The transition; it raises no notification.</returns>
    /// <exception cref="InvalidTransitionException">
    /// The webhook is not enabled and Pending (a stale result: it was disabled, changed or verified meanwhile).
    /// </exception>
    public EndpointTransition VerificationSucceeded(WebhookConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        EnsurePending(config, WebhookState.Enabled, WebhookStatus.Active);
        var verified = config with
        {
            Status = WebhookStatus.Active,
            StatusReason = StatusReasons.VerificationAccepted(config.VerificationMode),
            Health = default,
        };
        return Move(config, verified, null);
    }

    /// <summary>
    /// The endpoint of a Pending webhook failed verification: the system disables it (State Disabled, Status Warning) and
    /// raises <see cref="WebhookNotificationKind.WebhookDisabled"/>. The user enables it again to retry.
    /// </summary>
    /// <param name="config">The webhook verified.</param>
    /// <param name="reason">
    /// What went wrong, or <see langword="null"/> for the mode's default: "Incorrect handshake response."
    /// (<see cref="VerificationMode.Challenge"/>), "Test event rejected." (<see cref="VerificationMode.TestEvent"/>).
    /// </param>
    /// <returns>The transition.</returns>
    /// <exception cref="InvalidTransitionException">
    /// The webhook is not enabled and Pending (a stale result: it was disabled, changed or verified meanwhile).
    /// </exception>
    public EndpointTransition VerificationFailed(WebhookConfig config, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        EnsurePending(config, WebhookState.Disabled, WebhookStatus.Warning);
        var failed = config with
        {
            State = WebhookState.Disabled,
            Status = WebhookStatus.Warning,
            StatusReason = string.IsNullOrWhiteSpace(reason) ? StatusReasons.VerificationRejected(config.VerificationMode) : reason,
        };
        return Move(config, failed, WebhookNotificationKind.WebhookDisabled);
    }

    private static void EnsurePending(WebhookConfig config, WebhookState toState, WebhookStatus toStatus)
    {
        if (config.State == WebhookState.Disabled)
        {
            throw Reject(config, toState, toStatus, "it is disabled and only the user enables a webhook; a verification result applies only to an enabled, Pending webhook.");
        }

        if (config.Status != WebhookStatus.Pending)
        {
            throw Reject(config, toState, toStatus, "a verification result applies only to a Pending webhook.");
        }
    }
}
