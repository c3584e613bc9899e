using Npgsql;
using Webhooks.Core.PostgreSql.Internal;
using static Webhooks.Core.PostgreSql.Internal.SqlParameters;

namespace Webhooks.Core.PostgreSql;

/// <content>Delivery: enqueueing, claiming with leases, lease renewal and batched completion.</content>
public sealed partial class PostgreSqlWebhookStore
{
    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A message has a key this store cannot keep, or the messages' payloads take more than 1,000,000,000 bytes in all; nothing was stored.</exception>
    public async ValueTask<IReadOnlyList<string>> EnqueueAsync(IReadOnlyList<DeliveryMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return [];
        }

        // Checked before the messages join others in a shared insert, so that only this caller fails, and at once.
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            ArgumentNullException.ThrowIfNull(message, nameof(messages));
            IndexedKey.ThrowIfTooLong(message.Id, nameof(messages), nameof(message.Id), i);
            IndexedKey.ThrowIfTooLong(message.WebhookId, nameof(messages), nameof(message.WebhookId), i);
            IndexedKey.ThrowIfTooLong(message.EventId, nameof(messages), nameof(message.EventId), i);
            IndexedKey.ThrowIfTooLong(message.TenantId, nameof(messages), nameof(message.TenantId), i);
            IndexedKey.ThrowIfUnstorable(message.EventType, nameof(messages), nameof(message.EventType), i);
        }

        // The messages of one call go in one statement (an event's messages are stored together or not at all), and
        // their payloads in one value: beyond 1 GiB the server drops the connection, which names nothing.
        if (EnqueueCoalescer.PayloadBytesOf(messages) is var bytes and > MaxPayloadBytesPerCall)
        {
            throw new ArgumentException(
                $"The messages' payloads take {bytes:N0} bytes in all (each message stores its own), more than the {MaxPayloadBytesPerCall:N0} this store writes in one statement (PostgreSQL takes at most 1 GiB in one value): publish the event to fewer webhooks at a time, or make its data smaller. Nothing was stored.",
                nameof(messages));
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        return await _enqueues.EnqueueAsync(messages, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The most payload bytes one <see cref="EnqueueAsync"/> stores: PostgreSQL's limit on one value is 1 GiB (less a
    /// byte), and the <c>bytea[]</c> holding them also carries a header and a length and padding per element.
    /// </summary>
    internal const long MaxPayloadBytesPerCall = 1_000_000_000;

    /// <summary>
    /// Inserts messages, skipping those already stored, and wakes listeners once they are visible. Due messages this
    /// process's dispatcher has room for are inserted leased to it and handed to it directly (see <see cref="LocalHandOff"/>).
    /// </summary>
    /// <returns>The ids of the messages inserted.</returns>
    private async Task<HashSet<string>> InsertMessagesAsync(IReadOnlyList<DeliveryMessage> messages)
    {
        var count = messages.Count;
        var reserved = _handOff.Reserve(count, out var now, out var leaseExpiresAt);
        var handedOff = new List<MessageLease>(reserved);
        var stored = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var batch = CreateInsertBatch(messages, reserved, now, leaseExpiresAt, handedOff);
            var reader = await batch.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    stored.Add(reader.GetString(0));
                }
            }
        }
        finally
        {
            // Leases of messages that were not stored (already there, or the insert failed) are not handed out.
            _handOff.Add(reserved, handedOff.Where(lease => stored.Contains(lease.Message.Id)));
        }

        return stored;
    }

    /// <summary>
    /// Builds the insert of <paramref name="messages"/>: the first <paramref name="leasable"/> due ones are leased
    /// until <paramref name="leaseExpiresAt"/> and added to <paramref name="handedOff"/>. Listeners are notified
    /// unless every message is leased here.
    /// </summary>
    private NpgsqlBatch CreateInsertBatch(
        IReadOnlyList<DeliveryMessage> messages, int leasable, DateTimeOffset now, DateTimeOffset leaseExpiresAt, List<MessageLease> handedOff)
    {
        var count = messages.Count;
        var ids = new string[count];
        var webhookIds = new string[count];
        var tenantIds = new string?[count];
        var eventIds = new string[count];
        var eventTypes = new string[count];
        var payloads = new byte[count][];
        var statuses = new short[count];
        var reasons = new string?[count];
        var attemptCounts = new int[count];
        var nextAttempts = new DateTimeOffset?[count];
        var createdAt = new DateTimeOffset[count];
        var lastAttempts = new string?[count];
        var leaseIds = new Guid?[count];
        var leaseExpiries = new DateTimeOffset?[count];
        for (var i = 0; i < count; i++)
        {
            var message = messages[i];
            ids[i] = message.Id;
            webhookIds[i] = message.WebhookId;
            tenantIds[i] = message.TenantId;
            eventIds[i] = message.EventId;
            eventTypes[i] = message.EventType;
            payloads[i] = MessageMapper.WholeArray(message.Payload);
            statuses[i] = (short)message.Status;
            reasons[i] = StoredText.Cleaned(message.StatusReason);
            attemptCounts[i] = message.AttemptCount;
            nextAttempts[i] = MessageMapper.Utc(message.NextAttemptAt);
            createdAt[i] = MessageMapper.Utc(message.CreatedAt);
            lastAttempts[i] = MessageMapper.SerializeAttempt(message.LastAttempt);
            if (handedOff.Count < leasable && !message.IsFinished && message.NextAttemptAt <= now)
            {
                var lease = new MessageLease(message, Guid.NewGuid(), leaseExpiresAt);
                leaseIds[i] = lease.LeaseId;
                leaseExpiries[i] = MessageMapper.Utc(leaseExpiresAt);
                handedOff.Add(lease);
            }
        }

        // Insert and notify in one implicit transaction: listeners wake only once the rows are visible.
        var batch = _dataSource.CreateBatch();
        // An event stores messages only in the statement that publishes it first (for this tenant): one that another
        // statement published, committed or not, waits for it and then stores nothing.
        var insert = new NpgsqlBatchCommand($"""
            WITH m AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bytea[], $7::smallint[], $8::text[],
                    $9::integer[], $10::timestamptz[], $11::timestamptz[], $12::text[], $13::uuid[], $14::timestamptz[]) WITH ORDINALITY
                    AS m(id, webhook_id, tenant_id, event_id, event_type, payload, status, status_reason,
                         attempt_count, next_attempt_at, created_at, last_attempt, lease_id, lease_expires_at, position)),
            published AS (
                INSERT INTO {_schema}.events (tenant_key, event_id, created_at)
                SELECT coalesce('t' || tenant_id, ''), event_id, min(created_at) FROM m GROUP BY 1, 2
                ON CONFLICT DO NOTHING
                RETURNING tenant_key, event_id)
            INSERT INTO {_schema}.messages (id, webhook_id, tenant_id, event_id, event_type, payload, status, status_reason,
                attempt_count, next_attempt_at, created_at, last_attempt, lease_id, lease_expires_at)
            SELECT m.id, m.webhook_id, m.tenant_id, m.event_id, m.event_type, m.payload, m.status, m.status_reason,
                m.attempt_count, m.next_attempt_at, m.created_at, m.last_attempt::jsonb, m.lease_id, m.lease_expires_at
            FROM m JOIN published p ON p.tenant_key = coalesce('t' || m.tenant_id, '') AND p.event_id = m.event_id
            -- In the call's order, whatever the join's: of two messages for one webhook and event, the first is kept.
            ORDER BY m.position
            ON CONFLICT DO NOTHING
            RETURNING id
            """);
        insert.Parameters.AddAll(
            Value(ids), Value(webhookIds), Value(tenantIds), Value(eventIds), Value(eventTypes), Value(payloads), Value(statuses),
            Value(reasons), Value(attemptCounts), Value(nextAttempts), Value(createdAt), Value(lastAttempts), Value(leaseIds), Value(leaseExpiries));
        batch.BatchCommands.Add(insert);
        if (handedOff.Count < count)
        {
            batch.BatchCommands.Add(Notify(NotificationSink.Due));
        }

        return batch;
    }

    /// <summary>Gets the claim statement: $1 now, $2 the lease expiry, $3 the most rows.</summary>
    internal string ClaimSql => _claimSql ??= $"""
            UPDATE {_schema}.messages
            SET lease_id = gen_random_uuid(), lease_expires_at = $2
            WHERE id IN (
                SELECT id FROM {_schema}.messages
                WHERE status <= 1 AND next_attempt_at <= $1 AND (lease_id IS NULL OR lease_expires_at <= $1)
                ORDER BY next_attempt_at
                LIMIT $3
                FOR UPDATE SKIP LOCKED)
            RETURNING {MessageMapper.Columns}, lease_id
            """;

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<MessageLease>> ClaimDueAsync(
        DateTimeOffset now, int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var expiresAt = MessageMapper.Utc(now + leaseDuration);
        var leases = new List<MessageLease>(Math.Min(maxCount, 1024));
        if (!_handOff.Take(now, maxCount, leaseDuration, leases))
        {
            return leases;
        }

        // One range scan of the due index in due order. It holds every unfinished, unheld message with a due time,
        // leased or not, so that claims stay HOT updates (see migration 3): the rows in flight are skipped by the
        // filter, and lapsed leases come back in due order with a new lease id, which makes any completion from the
        // lapsed holder a no-op.
        using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(AsynchronousCommit());

        // Handed off here and changed since by another instance: given back in the claim's transaction, which takes
        // those still due as they are now. Should the claim fail, their leases lapse.
        if (_handOff.TakeRevoked() is { } revoked)
        {
            batch.BatchCommands.Add(ReleaseCommand(revoked));
        }

        var claim = new NpgsqlBatchCommand(ClaimSql);
        claim.Parameters.AddAll(Value(MessageMapper.Utc(now)), Value(expiresAt), Value(maxCount - leases.Count));
        batch.BatchCommands.Add(claim);

        var local = leases.Count;
        try
        {
            var reader = await batch.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false);
                while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    leases.Add(new MessageLease(MessageMapper.Read(reader), reader.GetGuid(12), expiresAt));
                }
            }

            _handOff.Claimed(leases.Count - local);
        }
        catch (Exception) when (local > 0)
        {
            // The messages handed off are leased already: deliver them, and ask the database again next time, when a
            // failure that lasts reaches the dispatcher.
            leases.RemoveRange(local, leases.Count - local);
            _handOff.NoteDue();
        }

        // RETURNING has no order; hand them out earliest due first.
        leases.Sort(static (a, b) => Nullable.Compare(a.Message.NextAttemptAt, b.Message.NextAttemptAt));
        return leases;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> RenewLeaseAsync(MessageLease lease, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(AsynchronousCommit());
        var renew = new NpgsqlBatchCommand($"UPDATE {_schema}.messages SET lease_expires_at = $3 WHERE id = $1 AND lease_id = $2");
        renew.Parameters.AddAll(Value(lease.Message.Id), Value(lease.LeaseId), Value(MessageMapper.Utc(expiresAt)));
        batch.BatchCommands.Add(renew);
        if (expiresAt <= _timeProvider.GetUtcNow())
        {
            // Renewed to end now: the message is given back (a dispatcher stopping before its attempt), and the other
            // instances are woken to claim it rather than finding it at their next poll.
            batch.BatchCommands.Add(Notify(NotificationSink.Due));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return renew.RecordsAffected == 1;
    }

    /// <summary>
    /// The assignments that write an outcome row <c>o</c> to its message <c>m</c> and release the lease: a message the
    /// user finished while it was leased (cancelled it) keeps its status, status reason and next attempt time.
    /// </summary>
    private const string OutcomeAssignments = """
        SET status = CASE WHEN m.status <= 1 THEN o.status ELSE m.status END,
            status_reason = CASE WHEN m.status <= 1 THEN o.status_reason ELSE m.status_reason END,
            attempt_count = o.attempt_count,
            next_attempt_at = CASE WHEN m.status <= 1 THEN o.next_attempt_at ELSE m.next_attempt_at END,
            last_attempt = o.last_attempt::jsonb, lease_id = NULL, lease_expires_at = NULL
        """;

    /// <inheritdoc/>
    public async ValueTask<int> CompleteAsync(IReadOnlyList<MessageOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return 0;
        }

        for (var i = 0; i < outcomes.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(outcomes[i]?.Message, nameof(outcomes));
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var outcomeRows = new OutcomeColumns(outcomes);
        var attemptRows = new AttemptColumns(outcomes);

        // One statement: each row is written only while the presented lease still holds it, and the attempts of
        // exactly the outcomes written are appended to the log (not a stale outcome's, of a message claimed again, in the
        // same batch). A lease presented twice is written with its first outcome, as a later call would find it
        // released. A message the user cancelled while it was leased stays cancelled, with the attempt made meanwhile
        // counted.
        using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(AsynchronousCommit());
        var command = new NpgsqlBatchCommand($"""
            WITH o AS (
                SELECT DISTINCT ON (id, lease_id) * FROM unnest(
                    $1::text[], $2::uuid[], $3::smallint[], $4::text[], $5::integer[], $6::timestamptz[], $7::text[]) WITH ORDINALITY
                    AS o(id, lease_id, status, status_reason, attempt_count, next_attempt_at, last_attempt, outcome)
                ORDER BY id, lease_id, outcome),
            written AS (
                UPDATE {_schema}.messages m
                {OutcomeAssignments}
                FROM o
                WHERE m.id = o.id AND m.lease_id = o.lease_id
                RETURNING m.id, o.outcome),
            logged AS (
                INSERT INTO {_schema}.attempts (message_id, number, attempted_at, url, status_code, duration_ticks, response_body, error)
                SELECT w.id, a.number, a.attempted_at, a.url, a.status_code, a.duration_ticks, a.response_body, a.error
                FROM unnest($8::bigint[], $9::integer[], $10::timestamptz[], $11::text[], $12::integer[], $13::bigint[], $14::text[], $15::text[])
                    AS a(outcome, number, attempted_at, url, status_code, duration_ticks, response_body, error)
                JOIN written w ON w.outcome = a.outcome)
            SELECT count(*)::int FROM written
            """);
        outcomeRows.AddTo(command.Parameters);
        attemptRows.AddTo(command.Parameters);
        batch.BatchCommands.Add(command);
        var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return reader.GetInt32(0);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<DeliveryMessage>> CompleteIfUnchangedAsync(IReadOnlyList<MessageOutcome> outcomes, CancellationToken cancellationToken)
    {
        MessageOutcome.ThrowIfInvalidUnattempted(outcomes);
        if (outcomes.Count == 0)
        {
            return [];
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);

        // The check is in the update's condition, which is evaluated again on a row another transaction changed
        // meanwhile: a retry or a cancel committed before this write is seen. The rows still under a presented lease
        // afterwards are those refused, read in a later snapshot of the same transaction, as they are now.
        using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(AsynchronousCommit());
        var write = new NpgsqlBatchCommand($"""
            WITH o AS (
                SELECT DISTINCT ON (id, lease_id) * FROM unnest(
                    $1::text[], $2::uuid[], $3::smallint[], $4::text[], $5::integer[], $6::timestamptz[], $7::text[],
                    $8::boolean[], $9::smallint[], $10::text[], $11::integer[], $12::timestamptz[]) WITH ORDINALITY
                    AS o(id, lease_id, status, status_reason, attempt_count, next_attempt_at, last_attempt,
                         checked, expected_status, expected_reason, expected_attempt_count, expected_next_attempt_at, outcome)
                ORDER BY id, lease_id, outcome)
            UPDATE {_schema}.messages m
            {OutcomeAssignments}
            FROM o
            WHERE m.id = o.id AND m.lease_id = o.lease_id
                AND (NOT o.checked
                    OR (m.status = o.expected_status AND m.status_reason IS NOT DISTINCT FROM o.expected_reason
                        AND m.attempt_count = o.expected_attempt_count AND m.next_attempt_at IS NOT DISTINCT FROM o.expected_next_attempt_at))
            """);
        new OutcomeColumns(outcomes).AddTo(write.Parameters);
        new ExpectedStateColumns(outcomes).AddTo(write.Parameters);
        batch.BatchCommands.Add(write);
        var refused = new NpgsqlBatchCommand($"""
            SELECT {MessageMapper.Columns} FROM {_schema}.messages
            WHERE (id, lease_id) IN (SELECT * FROM unnest($1::text[], $2::uuid[]))
            """);
        refused.Parameters.AddAll(
            Value(outcomes.Select(static o => o.Message.Id).ToArray()), Value(outcomes.Select(static o => o.LeaseId).ToArray()));
        batch.BatchCommands.Add(refused);

        var changed = new List<DeliveryMessage>();
        var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            // Past the setting's result; the update has none.
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                changed.Add(MessageMapper.Read(reader));
            }
        }

        return changed;
    }

    /// <summary>Gives back the leases of messages handed off here but not taken, so that no instance waits for them to lapse.</summary>
    private async Task ReleaseHandedOffAsync()
    {
        var waiting = _handOff.TakeAll();
        if (waiting.Count == 0)
        {
            return;
        }

        try
        {
            using var batch = _dataSource.CreateBatch();
            batch.BatchCommands.Add(ReleaseCommand(waiting));
            batch.BatchCommands.Add(Notify(NotificationSink.Due));
            await batch.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or ObjectDisposedException or InvalidOperationException)
        {
            Log.ReleaseFailed(_logger, waiting.Count, exception);
        }
    }

    /// <summary>Gives back the leases of messages handed off here: each only while that lease still holds it.</summary>
    private NpgsqlBatchCommand ReleaseCommand(List<MessageLease> leases)
    {
        var release = new NpgsqlBatchCommand($"""
            UPDATE {_schema}.messages m SET lease_id = NULL, lease_expires_at = NULL
            FROM unnest($1::text[], $2::uuid[]) AS r(id, lease_id)
            WHERE m.id = r.id AND m.lease_id = r.lease_id
            """);
        release.Parameters.AddAll(Value(leases.Select(static l => l.Message.Id).ToArray()), Value(leases.Select(static l => l.LeaseId).ToArray()));
        return release;
    }

    /// <summary>
    /// Makes the transaction of the batch it opens commit without waiting for its WAL to reach disk. Only for writes
    /// that a crash of the server may undo without breaking at-least-once delivery: claims, lease renewals and
    /// completions. A lost claim or renewal returns the message to the due ones (it is sent again, perhaps while its
    /// holder still sends it); a lost completion leaves the message leased until the lease lapses, and it is sent
    /// again with its attempt missing from the log. WAL is written in order, so a later synchronous commit (an
    /// enqueue) makes every earlier asynchronous one durable too; what a crash can lose is bounded by the server's
    /// <c>wal_writer_delay</c> (three times it at most). Enqueues always wait for the disk.
    /// </summary>
    private static NpgsqlBatchCommand AsynchronousCommit() => new("SELECT set_config('synchronous_commit', 'off', true)");
}
