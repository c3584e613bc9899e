using Npgsql;
using Webhooks.Core.PostgreSql.Internal;
using static Webhooks.Core.PostgreSql.Internal.SqlParameters;

namespace Webhooks.Core.PostgreSql;

/// <content>The delivery log and changes to single messages outside delivery (retry now, cancel).</content>
public sealed partial class PostgreSqlWebhookStore
{
    /// <inheritdoc/>
    public async ValueTask<DeliveryMessage?> GetMessageAsync(string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        if (!StoredText.Storable(messageId))
        {
            return null;
        }

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
        if (!StoredText.Storable(messageId))
        {
            return [];
        }

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
        if (!StoredText.Storable(query.WebhookId) || (query.EventType is { } type && !StoredText.Storable(type)))
        {
            return new WebhookPage<DeliveryMessage>([], 0, query.Offset, query.Limit);
        }

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

        filter.CreatedBetween(query.CreatedFrom, query.CreatedTo).After(query.After, OrdinalId);
        var (items, total) = await ReadPageAsync(
            $"{_schema}.messages", MessageMapper.Columns, MessageOrder, filter, query.Offset, query.Limit, MessageMapper.Read, cancellationToken).ConfigureAwait(false);
        return new WebhookPage<DeliveryMessage>(items, total, query.Offset, query.Limit);
    }

    /// <inheritdoc/>
    public async ValueTask<DeliveryMessage?> UpdateMessageAsync(
        string messageId, Func<DeliveryMessage, DeliveryMessage?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        if (!StoredText.Storable(messageId))
        {
            return null;
        }

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

                // Handed to this process's dispatcher at its insert and not taken yet: the dispatcher would take it as it
                // was inserted, whatever its new time, so it is taken back and its lease released with the change. A lease
                // the dispatcher holds stays.
                var handedOff = _handOff.Remove(messageId);
                using (var write = new NpgsqlCommand(
                    $"""
                    UPDATE {_schema}.messages
                    SET status = $2, status_reason = $3, attempt_count = $4, next_attempt_at = $5, last_attempt = $6::jsonb,
                        lease_id = CASE WHEN lease_id = $7 THEN NULL ELSE lease_id END,
                        lease_expires_at = CASE WHEN lease_id = $7 THEN NULL ELSE lease_expires_at END
                    WHERE id = $1
                    """,
                    connection,
                    transaction))
                {
                    write.Parameters.AddAll(
                        Value(messageId),
                        Value((short)updated.Status),
                        Value(StoredText.Cleaned(updated.StatusReason)),
                        Value(updated.AttemptCount),
                        Value(MessageMapper.Utc(updated.NextAttemptAt)),
                        Value(MessageMapper.SerializeAttempt(updated.LastAttempt)),
                        Value(handedOff?.LeaseId));
                    await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                // Changed: another instance's dispatcher it was handed to at its insert takes it back (see LocalHandOff),
                // to claim it as it is now. Due again: dispatchers may claim it. Both in one round trip.
                var due = updated is { IsFinished: false, NextAttemptAt: not null };
                using (var notify = new NpgsqlCommand(
                    due ? "SELECT pg_notify($1, $2), pg_notify($1, $3)" : "SELECT pg_notify($1, $2)", connection, transaction))
                {
                    notify.Parameters.AddAll(Value(_channel), Value(NotificationSink.MessageChangedPrefix + messageId));
                    if (due)
                    {
                        notify.Parameters.Add(Value(NotificationSink.Due));
                    }

                    await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                // Handed off only now, its insert's commit having raced this change: not taken as inserted either (its
                // lease is given back by the next claim).
                _handOff.Revoke(messageId, null);

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
}
