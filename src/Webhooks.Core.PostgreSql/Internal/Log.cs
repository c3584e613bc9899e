using Microsoft.Extensions.Logging;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>The store's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Schema {Schema} migrated to version {Version}: {Description}.")]
    public static partial void SchemaMigrated(ILogger logger, string schema, int version, string description);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Listening for notifications on channel {Channel}.")]
    public static partial void Listening(ILogger logger, string channel);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "The notification listener on channel {Channel} failed; reconnecting.")]
    public static partial void ListenerFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "A due-message subscriber threw.")]
    public static partial void SubscriberFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "Relaying outbox events failed; retrying.")]
    public static partial void RelayFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Outbox event {EventId} targets webhook {WebhookId}, which does not exist; the event is dropped.")]
    public static partial void RelayTargetMissing(ILogger logger, string eventId, string? webhookId);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Debug, Message = "Relayed {Count} outbox events.")]
    public static partial void Relayed(ILogger logger, int count);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "Giving back the leases of {Count} messages enqueued here but not yet sent failed; they are claimed again once the leases lapse.")]
    public static partial void ReleaseFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Error, Message = "Outbox row {OutboxId} (event {EventId}) was refused by the publisher and is dropped: {Reason}")]
    public static partial void RelayEventRefused(ILogger logger, long outboxId, string eventId, string reason, Exception exception);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "The webhook store in use is {StoreType}, not the PostgreSQL store: the outbox relay does not run, and events written to the outbox are not published.")]
    public static partial void RelayIdle(ILogger logger, string storeType);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Error, Message = "Publishing outbox row {OutboxId} (event {EventId}) failed {Failures} times; the rows behind it are relayed first, and it is tried again in {RetryIn}.")]
    public static partial void RelaySetAside(ILogger logger, long outboxId, string eventId, int failures, TimeSpan retryIn, Exception exception);
}
