using Npgsql;
using Webhooks.Core.PostgreSql.Internal;
using static Webhooks.Core.PostgreSql.Internal.SqlParameters;

namespace Webhooks.Core.PostgreSql;

/// <content>The delivery log and the operations on messages outside delivery: retry, cancel, resume, recover, expiry and retention.</content>
public sealed partial class PostgreSqlWebhookStore
{
    // Retention deletes in chunks so that no single transaction holds millions of row locks.
    private const int PurgeChunk = 5_000;

    /// <inheritdoc/>
    public async ValueTask<DeliveryMessage?> GetMessageAsync(string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        using var command = _dataSource.CreateCommand($"SELECT {MessageMapper.Columns} FROM {_schema}.messages WHERE id = $1");
        command.Parameters.Add(Value(messageId));
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? MessageMapper.Read(reader) : null;
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<DeliveryAttempt>> GetAttemptsAsync(string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        using var command = _dataSource.CreateCommand(
            $"SELECT {MessageMapper.AttemptColumns} FROM {_schema}.attempts WHERE message_id = $1 ORDER BY id");
        command.Parameters.Add(Value(messageId));
        var attempts = new List<DeliveryAttempt>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            attempts.Add(MessageMapper.ReadAttempt(reader));
        }

        return attempts;
    }

    /// <inheritdoc/>
    public async ValueTask<WebhookPage<DeliveryMessage>> ListMessagesAsync(MessageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);

        // Mirrors MessageQuery.Matches.
        var filter = new QueryFilter().Compare("webhook_id", "=", query.WebhookId);
        if (query.Status is { } status)
        {
            filter.Compare("status", "=", (short)status);
        }

        if (query.EventType is { } eventType)
        {
            filter.Compare("event_type", "=", eventType);
        }

        filter.CreatedBetween(query.CreatedFrom, query.CreatedTo);
        var (items, total) = await ReadPageAsync(
            $"{_schema}.messages", MessageMapper.Columns, filter, query.Offset, query.Limit, MessageMapper.Read, cancellationToken).ConfigureAwait(false);
        return new WebhookPage<DeliveryMessage>(items, total, query.Offset, query.Limit);
    }

    /// <inheritdoc/>
    public async ValueTask<DeliveryMessage?> UpdateMessageAsync(
        string messageId, Func<DeliveryMessage, DeliveryMessage?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        ArgumentNullException.ThrowIfNull(change);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                DeliveryMessage current;
                using (var read = new NpgsqlCommand(
                    $"SELECT {MessageMapper.Columns} FROM {_schema}.messages WHERE id = $1 FOR UPDATE", connection, transaction))
                {
                    read.Parameters.Add(Value(messageId));
                    var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using var readerScope = reader.ConfigureAwait(false);
                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return null;
                    }

                    current = MessageMapper.Read(reader);
                }

                if (change(current) is not { } updated)
                {
                    return current;
                }

                using (var write = new NpgsqlCommand(
                    $"""
                    UPDATE {_schema}.messages
                    SET status = $2, status_reason = $3, attempt_count = $4, next_attempt_at = $5,
                        last_attempt = $6::jsonb, lease_id = NULL, lease_expires_at = NULL
                    WHERE id = $1
                    """,
                    connection,
                    transaction))
                {
                    write.Parameters.AddAll(
                        Value(messageId),
                        Value((short)updated.Status),
                        Value(updated.StatusReason),
                        Value(updated.AttemptCount),
                        Value(MessageMapper.Utc(updated.NextAttemptAt)),
                        Value(MessageMapper.SerializeAttempt(updated.LastAttempt)));
                    await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                if (updated is { IsFinished: false, NextAttemptAt: not null })
                {
                    using var notify = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection, transaction);
                    notify.Parameters.AddAll(Value(_channel), Value(NotificationSink.Due));
                    await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

                // Only the mutable parts are stored; identity and payload stay as they were.
                return current with
                {
                    Status = updated.Status,
                    StatusReason = updated.StatusReason,
                    AttemptCount = updated.AttemptCount,
                    NextAttemptAt = updated.NextAttemptAt,
                    LastAttempt = updated.LastAttempt,
                };
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask<int> ResumeHeldAsync(string webhookId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhookId);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        using var command = _dataSource.CreateCommand($"""
            UPDATE {_schema}.messages SET next_attempt_at = $2
            WHERE webhook_id = $1 AND status <= 1 AND next_attempt_at IS NULL
            """);
        command.Parameters.AddAll(Value(webhookId), Value(MessageMapper.Utc(now)));
        return await NotifyDueIfAnyAsync(await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<int> RequeueFailedAsync(string webhookId, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhookId);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        using var command = _dataSource.CreateCommand($"""
            UPDATE {_schema}.messages
            SET status = {(short)MessageStatus.Retrying}, status_reason = NULL, next_attempt_at = $3
            WHERE webhook_id = $1 AND status = {(short)MessageStatus.Failed} AND created_at >= $2
            """);
        command.Parameters.AddAll(Value(webhookId), Value(MessageMapper.Utc(since)), Value(MessageMapper.Utc(now)));
        return await NotifyDueIfAnyAsync(await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<DeliveryMessage>> FailExpiredHeldAsync(
        DateTimeOffset createdBefore, string reason, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        using var command = _dataSource.CreateCommand($"""
            UPDATE {_schema}.messages
            SET status = {(short)MessageStatus.Failed}, status_reason = $2, lease_id = NULL, lease_expires_at = NULL
            WHERE status <= 1 AND next_attempt_at IS NULL AND created_at < $1
            RETURNING {MessageMapper.Columns}
            """);
        command.Parameters.AddAll(Value(MessageMapper.Utc(createdBefore)), Value(reason));
        var failed = new List<DeliveryMessage>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            failed.Add(MessageMapper.Read(reader));
        }

        return failed;
    }

    /// <inheritdoc/>
    public async ValueTask<int> PurgeAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var total = 0;
        int deleted;
        do
        {
            // Attempts go with their messages (ON DELETE CASCADE).
            using var command = _dataSource.CreateCommand($"""
                DELETE FROM {_schema}.messages
                WHERE id IN (
                    SELECT id FROM {_schema}.messages
                    WHERE status >= 2 AND created_at < $1
                    LIMIT $2
                    FOR UPDATE SKIP LOCKED)
                """);
            command.Parameters.AddAll(Value(MessageMapper.Utc(createdBefore)), Value(PurgeChunk));
            deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            total += deleted;
        }
        while (deleted == PurgeChunk);

        return total;
    }

    private async Task<int> NotifyDueIfAnyAsync(int count, CancellationToken cancellationToken)
    {
        if (count > 0)
        {
            using var notify = _dataSource.CreateCommand("SELECT pg_notify($1, $2)");
            notify.Parameters.AddAll(Value(_channel), Value(NotificationSink.Due));
            await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return count;
    }
}
