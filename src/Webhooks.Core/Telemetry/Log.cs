using Microsoft.Extensions.Logging;

namespace Webhooks.Core.Internal;

/// <summary>Every log message of the library. No payloads, headers or secrets are ever logged.</summary>
internal static partial class Log
{
    [LoggerMessage(14, LogLevel.Warning, "Releasing the lease of message {MessageId}, not attempted as the dispatcher stops, failed; it is claimed again once the lease lapses.")]
    public static partial void LeaseReleaseFailed(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(15, LogLevel.Warning, "{Count} notifications raised after the host stopped were not handled.")]
    public static partial void NotificationsDropped(ILogger logger, int count);

    [LoggerMessage(17, LogLevel.Warning, "A notification handler did not stop within {Wait} of being cancelled; the container is disposed without waiting for it.")]
    public static partial void NotificationHandlerStuck(ILogger logger, TimeSpan wait);

    [LoggerMessage(18, LogLevel.Warning, "Reading message {MessageId} again after its last attempt failed did not work; it is reported failed, though it may have been cancelled during the attempt.")]
    public static partial void FailedMessageReadFailed(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(1, LogLevel.Error, "Claiming due messages failed; retrying after {Delay}.")]
    public static partial void ClaimFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(2, LogLevel.Error, "Writing {Count} message outcomes failed; their leases will lapse and the messages will be attempted again.")]
    public static partial void CompleteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(40, LogLevel.Warning, "Writing {Count} message outcomes failed; the write is made again shortly.")]
    public static partial void CompleteRetried(ILogger logger, Exception exception, int count);

    [LoggerMessage(3, LogLevel.Debug, "Attempt {Attempt} of message {MessageId} to webhook {WebhookId} answered {StatusCode} in {Duration}.")]
    public static partial void AttemptMade(ILogger logger, int attempt, string messageId, string webhookId, int? statusCode, TimeSpan duration);

    [LoggerMessage(4, LogLevel.Warning, "Webhook {WebhookId} changed from {FromState}/{FromStatus} to {ToState}/{ToStatus}: {Reason}")]
    public static partial void WebhookStatusChanged(ILogger logger, string webhookId, WebhookState fromState, WebhookStatus fromStatus, WebhookState toState, WebhookStatus toStatus, string? reason);

    [LoggerMessage(5, LogLevel.Warning, "Message {MessageId} to webhook {WebhookId} failed: {Reason}")]
    public static partial void MessageFailed(ILogger logger, string messageId, string webhookId, string? reason);

    [LoggerMessage(6, LogLevel.Error, "A notification handler failed on {Kind} for webhook {WebhookId}.")]
    public static partial void NotificationHandlerFailed(ILogger logger, Exception exception, WebhookNotificationKind kind, string webhookId);

    [LoggerMessage(7, LogLevel.Error, "Recording delivery health of webhook {WebhookId} failed.")]
    public static partial void HealthUpdateFailed(ILogger logger, Exception exception, string webhookId);

    [LoggerMessage(8, LogLevel.Error, "Verifying webhook {WebhookId} failed unexpectedly.")]
    public static partial void VerificationCrashed(ILogger logger, Exception exception, string webhookId);

    [LoggerMessage(12, LogLevel.Information, "Webhook {WebhookId} has waited for verification since {UpdatedAt:O}; verifying it again.")]
    public static partial void VerificationResumed(ILogger logger, string webhookId, DateTimeOffset updatedAt);

    [LoggerMessage(9, LogLevel.Error, "Housekeeping (expiry and retention) failed.")]
    public static partial void HousekeepingFailed(ILogger logger, Exception exception);

    [LoggerMessage(10, LogLevel.Information, "Housekeeping failed {Expired} expired held messages and purged {Purged} old messages.")]
    public static partial void HousekeepingDone(ILogger logger, int expired, int purged);

    [LoggerMessage(11, LogLevel.Error, "Delivering message {MessageId} failed unexpectedly; its lease will lapse and it will be attempted again.")]
    public static partial void AttemptCrashed(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(19, LogLevel.Error, "The delivery transport threw sending message {MessageId} to webhook {WebhookId}; the attempt is recorded as failed.")]
    public static partial void TransportFailed(ILogger logger, Exception exception, string messageId, string webhookId);

    [LoggerMessage(13, LogLevel.Error, "Dispatching {Count} claimed messages failed; their leases will lapse and they will be claimed again after {Delay}.")]
    public static partial void DispatchFailed(ILogger logger, Exception exception, int count, TimeSpan delay);

    [LoggerMessage(16, LogLevel.Error, "The stored event filter of webhook {WebhookId} does not parse ({Problem}); it matches no event until the webhook's filter is set again.")]
    public static partial void StoredFilterInvalid(ILogger logger, string webhookId, string problem);
}
