using Webhooks.Core.Internal;

namespace Webhooks.Core;

/// <summary>
/// The status changes of a <see cref="DeliveryMessage"/>: <c>Created → Success | Retrying → … → Success | Failed</c>, and
/// <c>Cancelled</c> by the user. Pure functions: each returns a changed copy; time is passed in.
/// </summary>
/// <remarks>
/// An operation the message's status does not allow throws <see cref="InvalidTransitionException"/> naming the status
/// and the statuses it is allowed from, in its message and in <see cref="InvalidTransitionException.CurrentStatus"/> and
/// <see cref="InvalidTransitionException.AllowedStatuses"/>. Attempts, holding, resuming, cancelling and expiring apply
/// to unfinished messages (Created, Retrying); retrying now applies to Retrying and Failed ones.
/// </remarks>
public static class MessageLifecycle
{
    /// <summary>The <see cref="DeliveryMessage.StatusReason"/> of a message Retrying because the user asked for an attempt.</summary>
    public const string RetryRequestedReason = "Retry requested by the user.";

    // The statuses an operation is allowed from, as the refusal names them.
    private static readonly MessageStatus[] _unfinished = [MessageStatus.Created, MessageStatus.Retrying];
    private static readonly MessageStatus[] _retryable = [MessageStatus.Retrying, MessageStatus.Failed];

    /// <summary>The attempt was answered 2xx: the message is delivered.</summary>
    /// <param name="message">A Created or Retrying message.</param>
    /// <param name="attempt">The successful attempt.</param>
    /// <returns>The message with status Success, the attempt counted and recorded, nothing due.</returns>
    public static DeliveryMessage Succeeded(DeliveryMessage message, DeliveryAttempt attempt)
    {
        EnsureUnfinished(message, "record an attempt for");
        ArgumentNullException.ThrowIfNull(attempt);
        // One copy rather than Counted's and then another: this runs once per delivery.
        return message with
        {
            AttemptCount = message.AttemptCount + 1,
            LastAttempt = attempt,
            Status = MessageStatus.Success,
            StatusReason = null,
            NextAttemptAt = null,
        };
    }

    /// <summary>
    /// The attempt failed: the message is Retrying with its next attempt scheduled, or Failed ("undeliverable") when
    /// the schedule is exhausted or the message reached <see cref="DeliveryMessage.CreatedAt"/> + <paramref name="maxAge"/>.
    /// A next attempt that would fall after that is made at it instead, the last one: a message is retried for as long
    /// as its maximum age, whatever the schedule's (or the receiver's <c>Retry-After</c>) last delay before it.
    /// </summary>
    /// <param name="message">A Created or Retrying message.</param>
    /// <param name="attempt">The failed attempt.</param>
    /// <param name="now">The current time; the next attempt is due at <paramref name="now"/> plus the delay.</param>
    /// <param name="schedule">The retry schedule.</param>
    /// <param name="maxAge">How long after creation the message may still be attempted.</param>
    /// <param name="retryAfter">The receiver's <c>Retry-After</c>, or <see langword="null"/>; see <see cref="RetrySchedule.NextDelay"/>.</param>
    /// <returns>The message, Retrying or Failed, with the attempt counted and recorded.</returns>
    public static DeliveryMessage AttemptFailed(
        DeliveryMessage message,
        DeliveryAttempt attempt,
        DateTimeOffset now,
        RetrySchedule schedule,
        TimeSpan maxAge,
        TimeSpan? retryAfter = null)
    {
        EnsureUnfinished(message, "record an attempt for");
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAge, TimeSpan.Zero);
        var counted = Counted(message, attempt);
        if (schedule.NextDelay(counted.AttemptCount, retryAfter) is not { } delay)
        {
            var attempts = ReasonText.Quantity(counted.AttemptCount, "attempt");
            return Failed(counted, $"Undeliverable: the retry schedule is exhausted after {attempts}.");
        }

        // Compared as durations, so that neither a long delay nor a long maximum age overflows the calendar (an age below
        // zero, from a clock set back, counts as none).
        var age = now - message.CreatedAt;
        var left = maxAge - (age > TimeSpan.Zero ? age : TimeSpan.Zero);
        if (left <= TimeSpan.Zero)
        {
            return Failed(counted, MaxAgeReason(maxAge));
        }

        if (delay > left)
        {
            delay = left;
        }

        return counted with { Status = MessageStatus.Retrying, StatusReason = null, NextAttemptAt = Instants.Later(now, delay) };
    }

    /// <summary>Why a message that reached its maximum age is Failed: after its last attempt, or unattempted (held, or claimed late).</summary>
    internal static string MaxAgeReason(TimeSpan maxAge) => $"Undeliverable: not delivered within {ReasonText.Duration(maxAge)}.";

    /// <summary>The user cancels the message; no more attempts are made.</summary>
    /// <param name="message">A Created or Retrying message.</param>
    /// <returns>The message with status Cancelled and nothing due.</returns>
    public static DeliveryMessage Cancel(DeliveryMessage message)
    {
        EnsureUnfinished(message, "cancel");
        return message with { Status = MessageStatus.Cancelled, StatusReason = "Cancelled by the user.", NextAttemptAt = null };
    }

    /// <summary>The user asks for an attempt at once, also for a Failed message (recovery).</summary>
    /// <param name="message">A Retrying or Failed message.</param>
    /// <param name="now">The current time: the attempt is due now.</param>
    /// <returns>The message, Retrying and due at <paramref name="now"/>.</returns>
    public static DeliveryMessage RetryNow(DeliveryMessage message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Status is not (MessageStatus.Retrying or MessageStatus.Failed))
        {
            throw Reject(message, "retry", _retryable);
        }

        return message with { Status = MessageStatus.Retrying, StatusReason = RetryRequestedReason, NextAttemptAt = now };
    }

    /// <summary>
    /// Gets a value indicating whether the user asked for the message's next attempt (<see cref="RetryNow"/>, or a
    /// recovery): such an attempt is made even after the maximum age, once.
    /// </summary>
    /// <param name="message">A message.</param>
    /// <returns><see langword="true"/> when the message is Retrying at the user's request.</returns>
    public static bool IsRetryRequested(DeliveryMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Status == MessageStatus.Retrying && string.Equals(message.StatusReason, RetryRequestedReason, StringComparison.Ordinal);
    }

    /// <summary>Holds the message while its webhook is not sending: nothing is due; the status stays.</summary>
    /// <param name="message">A Created or Retrying message.</param>
    /// <returns>The message with <see cref="DeliveryMessage.NextAttemptAt"/> cleared.</returns>
    public static DeliveryMessage Hold(DeliveryMessage message)
    {
        EnsureUnfinished(message, "hold");
        return message with { NextAttemptAt = null };
    }

    /// <summary>Releases a held message when its webhook sends again; a message that is still scheduled keeps its time.</summary>
    /// <param name="message">A Created or Retrying message.</param>
    /// <param name="now">The current time: a held message is due now.</param>
    /// <returns>The message, due at its scheduled time or at <paramref name="now"/> when it was held.</returns>
    public static DeliveryMessage Resume(DeliveryMessage message, DateTimeOffset now)
    {
        EnsureUnfinished(message, "resume");
        return message.NextAttemptAt is null ? message with { NextAttemptAt = now } : message;
    }

    /// <summary>Gives the message up without a further attempt, for example after its maximum age while held.</summary>
    /// <param name="message">A Created or Retrying message.</param>
    /// <param name="reason">Why, for example "Undeliverable: expired after 10 days.".</param>
    /// <returns>The message with status Failed and nothing due.</returns>
    public static DeliveryMessage Expire(DeliveryMessage message, string reason)
    {
        EnsureUnfinished(message, "expire");
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return Failed(message, reason);
    }

    private static DeliveryMessage Counted(DeliveryMessage message, DeliveryAttempt attempt) =>
        message with { AttemptCount = message.AttemptCount + 1, LastAttempt = attempt };

    private static DeliveryMessage Failed(DeliveryMessage message, string reason) =>
        message with { Status = MessageStatus.Failed, StatusReason = reason, NextAttemptAt = null };

    private static void EnsureUnfinished(DeliveryMessage message, string action)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.IsFinished)
        {
            throw Reject(message, action, _unfinished);
        }
    }

    private static InvalidTransitionException Reject(DeliveryMessage message, string action, MessageStatus[] allowed) =>
        new($"Cannot {action} message '{message.Id}' in status {message.Status}: allowed only from {string.Join(" or ", allowed)}.", message.Status, allowed);
}
