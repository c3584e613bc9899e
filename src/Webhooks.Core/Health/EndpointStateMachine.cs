using Webhooks.Core.Internal;

namespace Webhooks.Core;

/// <summary>
/// The rules that move a webhook between its states (<see cref="WebhookState"/>) and statuses (<see cref="WebhookStatus"/>):
/// delivery outcomes, user enable and disable, and verification. A pure type: every operation takes a
/// <see cref="WebhookConfig"/> and returns an <see cref="EndpointTransition"/> with the changed copy; nothing is stored,
/// no clock is read. Thread-safe.
/// </summary>
/// <remarks>
/// Only the user enables a webhook (<see cref="Enable"/>); the user or the system disables it. Operations a webhook's
/// current state and status do not allow throw <see cref="InvalidTransitionException"/> naming both ends.
/// The operations do not touch <see cref="WebhookConfig.UpdatedAt"/> or <see cref="WebhookConfig.Generation"/>: the store does.
/// </remarks>
public sealed partial class EndpointStateMachine
{
    private readonly int _windowSize;
    private readonly int _warningFailures;
    private readonly int _errorConsecutiveFailures;
    private readonly int _recoveryConsecutiveSuccesses;

    /// <summary>Initializes a new instance of the <see cref="EndpointStateMachine"/> class.</summary>
    /// <param name="options">The health thresholds; read once, later changes are not seen.</param>
    /// <exception cref="ArgumentOutOfRangeException">A threshold is out of its range.</exception>
    /// <exception cref="ArgumentException"><see cref="EndpointHealthOptions.WarningFailures"/> exceeds <see cref="EndpointHealthOptions.WindowSize"/>.</exception>
    public EndpointStateMachine(EndpointHealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.WindowSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.WindowSize, 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.WarningFailures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ErrorConsecutiveFailures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RecoveryConsecutiveSuccesses, 1);
        if (options.WarningFailures > options.WindowSize)
        {
            throw new ArgumentException(
                $"WarningFailures ({options.WarningFailures}) cannot exceed WindowSize ({options.WindowSize}): the warning could never be reached.",
                nameof(options));
        }

        _windowSize = options.WindowSize;
        _warningFailures = options.WarningFailures;
        _errorConsecutiveFailures = options.ErrorConsecutiveFailures;
        _recoveryConsecutiveSuccesses = options.RecoveryConsecutiveSuccesses;
    }

    /// <summary>
    /// Records one delivery attempt and applies the health rules. Every attempt counts; a 2xx answer is a success,
    /// anything else (including no answer) a failure.
    /// </summary>
    /// <remarks>
    /// <para>For a sending webhook (<see cref="WebhookConfig.IsSending"/>), in this order:</para>
    /// <list type="bullet">
    /// <item><description>410 Gone: Error, disabled by the system, <see cref="WebhookNotificationKind.WebhookDisabled"/>.</description></item>
    /// <item><description><see cref="EndpointHealthOptions.ErrorConsecutiveFailures"/> failures in a row: Error, disabled by the system, <see cref="WebhookNotificationKind.WebhookDisabled"/>.</description></item>
    /// <item><description>From Active, <see cref="EndpointHealthOptions.WarningFailures"/> failures within the last <see cref="EndpointHealthOptions.WindowSize"/> attempts: Warning, <see cref="WebhookNotificationKind.WebhookWarning"/>.</description></item>
    /// <item><description>From Warning, <see cref="EndpointHealthOptions.RecoveryConsecutiveSuccesses"/> successes in a row: Active, <see cref="WebhookNotificationKind.WebhookRecovered"/>.</description></item>
    /// </list>
    /// <para>
    /// For a webhook that is not sending (for example an attempt that was in flight when the user disabled it), only
    /// <see cref="WebhookConfig.Health"/> is updated; state and status stay as they are.
    /// </para>
    /// </remarks>
    /// <param name="config">The webhook the attempt was made to.</param>
    /// <param name="statusCode">The HTTP status code answered, or <see langword="null"/> when no answer came.</param>
    /// <returns>The transition; its config always carries the updated <see cref="WebhookConfig.Health"/>.</returns>
    public EndpointTransition RecordAttempt(WebhookConfig config, int? statusCode)
    {
        ArgumentNullException.ThrowIfNull(config);
        bool success = statusCode is >= 200 and < 300;
        var recorded = config with { Health = config.Health.Record(success) };
        if (!config.IsSending)
        {
            return Move(config, recorded, null);
        }

        if (statusCode == 410)
        {
            return Move(config, SystemDisabled(recorded, StatusReasons.Gone), WebhookNotificationKind.WebhookDisabled);
        }

        var health = recorded.Health;
        if (!success && health.ConsecutiveFailures >= _errorConsecutiveFailures)
        {
            var reason = StatusReasons.ConsecutiveFailures(_errorConsecutiveFailures);
            return Move(config, SystemDisabled(recorded, reason), WebhookNotificationKind.WebhookDisabled);
        }

        if (!success && config.Status == WebhookStatus.Active && health.FailuresInLast(_windowSize) >= _warningFailures)
        {
            var reason = StatusReasons.FailuresInWindow(_warningFailures, _windowSize);
            var warned = recorded with { Status = WebhookStatus.Warning, StatusReason = reason };
            return Move(config, warned, WebhookNotificationKind.WebhookWarning);
        }

        if (success && config.Status == WebhookStatus.Warning && health.ConsecutiveSuccesses >= _recoveryConsecutiveSuccesses)
        {
            var reason = StatusReasons.ConsecutiveSuccesses(_recoveryConsecutiveSuccesses);
            var recovered = recorded with { Status = WebhookStatus.Active, StatusReason = reason };
            return Move(config, recovered, WebhookNotificationKind.WebhookRecovered);
        }

        return Move(config, recorded, null);
    }

    /// <summary>
    /// Whether <see cref="RecordAttempt"/> would change only <see cref="WebhookConfig.Health"/>, whatever the window
    /// holds: a 2xx answer to a webhook that is not in Warning (from Active a success moves nowhere; a webhook that is
    /// not sending keeps its state and status).
    /// </summary>
    internal static bool RecordsHealthOnly(WebhookConfig config, int? statusCode) =>
        statusCode is >= 200 and < 300 && config.Status != WebhookStatus.Warning;

    private static WebhookConfig SystemDisabled(WebhookConfig config, string reason) =>
        config with { State = WebhookState.Disabled, Status = WebhookStatus.Error, StatusReason = reason };

    private static EndpointTransition Move(WebhookConfig from, WebhookConfig to, WebhookNotificationKind? notification) =>
        new(to, from.State, from.Status, notification);

    private static InvalidTransitionException Reject(WebhookConfig config, WebhookState toState, WebhookStatus toStatus, string why) =>
        new($"Cannot move webhook '{config.Id}' from {config.State}/{config.Status} to {toState}/{toStatus}: {why}");
}
