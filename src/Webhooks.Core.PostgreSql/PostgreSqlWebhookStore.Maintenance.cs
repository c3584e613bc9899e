using Webhooks.Core.PostgreSql.Internal;
using static Webhooks.Core.PostgreSql.Internal.SqlParameters;

namespace Webhooks.Core.PostgreSql;

/// <content>Operations on many messages at once: resume, recover, expiry of held messages and retention.</content>
public sealed partial class PostgreSqlWebhookStore
{
    // Retention deletes in chunks so that no single transaction holds millions of row locks.
    private const int PurgeChunk = 5_000;

    /// <inheritdoc/>
    public async ValueTask<int> ResumeHeldAsync(string webhookId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhookId);
        if (!StoredText.Storable(webhookId))
        {
            return 0;
        }

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
        if (!StoredText.Storable(webhookId))
        {
            return 0;
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        using var command = _dataSource.CreateCommand($"""
            UPDATE {_schema}.messages
            SET status = {(short)MessageStatus.Retrying}, status_reason = $4, next_attempt_at = $3
            WHERE webhook_id = $1 AND status = {(short)MessageStatus.Failed} AND created_at >= $2
            """);
        command.Parameters.AddAll(Value(webhookId), Value(MessageMapper.Utc(since)), Value(MessageMapper.Utc(now)), Value(MessageLifecycle.RetryRequestedReason));
        return await NotifyDueIfAnyAsync(await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<DeliveryMessage>> FailExpiredHeldAsync(
        DateTimeOffset createdBefore, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reason);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        using var command = _dataSource.CreateCommand($"""
            UPDATE {_schema}.messages
            SET status = {(short)MessageStatus.Failed}, status_reason = $2, lease_id = NULL, lease_expires_at = NULL
            WHERE status <= 1 AND next_attempt_at IS NULL AND created_at < $1
              AND NOT (status = {(short)MessageStatus.Retrying} AND status_reason IS NOT DISTINCT FROM $3)
            RETURNING {MessageMapper.Columns}
            """);
        command.Parameters.AddAll(Value(MessageMapper.Utc(createdBefore)), Value(reason), Value(MessageLifecycle.RetryRequestedReason));
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
            // Attempts go with their messages (ON DELETE CASCADE). A message cancelled during its attempt is finished
            // but still leased: it stays until its outcome is written, or its lease lapsed before the horizon (its
            // holder died), so that the attempt is logged as CompleteAsync promises.
            using var command = _dataSource.CreateCommand($"""
                DELETE FROM {_schema}.messages
                WHERE id IN (
                    SELECT id FROM {_schema}.messages
                    WHERE status >= 2 AND created_at < $1 AND (lease_id IS NULL OR lease_expires_at < $1)
                    LIMIT $2
                    FOR UPDATE SKIP LOCKED)
                """);
            command.Parameters.AddAll(Value(MessageMapper.Utc(createdBefore)), Value(PurgeChunk));
            deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            total += deleted;
        }
        while (deleted == PurgeChunk);

        // The events published before as well, once no message of theirs is stored: publishing one again then creates
        // messages anew. Not while one is, whatever its status: one the loop above kept (leased, or locked by a retry
        // that makes it unfinished again) still answers for its event.
        do
        {
            using var command = _dataSource.CreateCommand(EventsPurgeSql);
            command.Parameters.AddAll(Value(MessageMapper.Utc(createdBefore)), Value(PurgeChunk));
            deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        while (deleted == PurgeChunk);

        return total;
    }

    /// <summary>Deletes up to <c>$2</c> events created before <c>$1</c> of which no message is stored; each looked up by the message key.</summary>
    internal string EventsPurgeSql => $"""
        DELETE FROM {_schema}.events
        WHERE (tenant_key, event_id) IN (
            SELECT e.tenant_key, e.event_id FROM {_schema}.events e
            WHERE e.created_at < $1
              AND NOT EXISTS (
                  SELECT 1 FROM {_schema}.messages m
                  WHERE coalesce('t' || m.tenant_id, '') = e.tenant_key AND m.event_id = e.event_id)
            LIMIT $2
            FOR UPDATE OF e SKIP LOCKED)
        """;

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
