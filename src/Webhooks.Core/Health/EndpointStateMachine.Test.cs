namespace Webhooks.Core;

/// <content>The user's on-demand test of an enabled webhook.</content>
public sealed partial class EndpointStateMachine
{
    /// <summary>
    /// The user asks to test an enabled webhook: it goes to Pending ("Verification requested.") until the verification
    /// (a test event when its mode is <see cref="VerificationMode.None"/>) reports through <see cref="VerificationSucceeded"/>
    /// or <see cref="VerificationFailed"/>.
    /// </summary>
    /// <param name="config">The webhook to test.</param>
    /// <returns>The transition; it raises no notification.</returns>
    /// <exception cref="InvalidTransitionException">The webhook is not enabled.</exception>
    public EndpointTransition VerificationRequested(WebhookConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!IsEnabled(config))
        {
            throw Reject(config, WebhookState.Enabled, WebhookStatus.Pending, "only an enabled webhook is tested; enable it first.");
        }

        return Move(config, config with { Status = WebhookStatus.Pending, StatusReason = "Verification requested." }, null);
    }
}
