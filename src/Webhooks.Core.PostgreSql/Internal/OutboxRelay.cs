using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using static Webhooks.Core.PostgreSql.Internal.SqlParameters;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>
/// Moves committed outbox rows to the publisher. Rows are deleted in the transaction that claimed them with
/// <c>FOR UPDATE SKIP LOCKED</c>, committed after publishing: a crash re-relays them, which the publisher's idempotency on
/// event ids makes harmless, and several instances relay different rows. A row whose publishing fails (other than by a
/// refusal, which drops it) is set aside: the rows behind it are relayed at once, and it is tried again later, less
/// and less often, so that one event that keeps failing holds no other.
/// </summary>
internal sealed class OutboxRelay : BackgroundService
{
    // Set-aside rows are kept in memory, at most this many (beyond, a failing row holds the rows behind it until it is
    // published): after a restart they are tried in order again.
    internal const int MaxSetAside = 1000;

    // A pass sets aside at most this many rows before it gives up until the next: when every row fails (the database
    // went away between the claim and the publish), the relay waits instead of setting aside the whole outbox.
    private const int MaxSetAsidePerPass = 3;

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);

    private readonly PostgreSqlWebhookStore _store;
    private readonly IWebhookStore _storeInUse;
    private readonly IWebhookPublisher _publisher;
    private readonly int _batchSize;
    private readonly TimeSpan _pollInterval;
    private readonly ILogger _logger;
    private readonly WakeSignal _wake = new();
    private readonly string _claimSql;
    private readonly string _presentSql;
    private readonly Dictionary<long, (int Failures, DateTimeOffset RetryAt)> _setAside = [];

    public OutboxRelay(PostgreSqlWebhookStore store, IWebhookStore storeInUse, IWebhookPublisher publisher, int batchSize, TimeSpan pollInterval, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _store = store;
        _storeInUse = storeInUse;
        _publisher = publisher;
        _batchSize = batchSize;
        _pollInterval = pollInterval;
        _logger = logger;
        _presentSql = $"SELECT id FROM {store.Schema}.outbox WHERE id = ANY($1)";
        _claimSql = $"""
            DELETE FROM {store.Schema}.outbox
            WHERE id IN (SELECT id FROM {store.Schema}.outbox WHERE id <> ALL($2) ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING id, event_id, event_type, tenant_id, occurred_at, data, targeted, target_webhook_id
            """;
    }

    /// <summary>Gets how many rows are set aside now.</summary>
    internal int SetAsideCount => _setAside.Count;

    /// <summary>
    /// Relays one batch of committed events. A row that fails to publish is set aside and the batch is claimed again
    /// without it (the rows before it are published again, harmlessly).
    /// </summary>
    /// <returns>How many events were relayed.</returns>
    public async Task<int> RelayOnceAsync(CancellationToken cancellationToken)
    {
        for (var setAside = 0; ; setAside++)
        {
            // The set-aside rows another instance relayed are looked for once a pass, not again at each claim after a failure.
            var (relayed, failed) = await RelayBatchAsync(forgetGone: setAside == 0, cancellationToken).ConfigureAwait(false);
            if (failed is not { } failure)
            {
                return relayed;
            }

            if (!SetAside(failure.RowId, failure.EventId, failure.Exception) || setAside + 1 >= MaxSetAsidePerPass)
            {
                failure.Exception.Throw();
            }
        }
    }

    private async Task<(int Relayed, (long RowId, string EventId, ExceptionDispatchInfo Exception)? Failed)> RelayBatchAsync(
        bool forgetGone, CancellationToken cancellationToken)
    {
        await _store.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var now = _store.TimeProvider.GetUtcNow();
        var skipped = _setAside.Where(r => r.Value.RetryAt > now).Select(static r => r.Key).ToArray();
        var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                if (forgetGone && _setAside.Count > 0)
                {
                    await ForgetRowsGoneAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                }

                var rows = new List<(long Id, WebhookEvent Event, bool Targeted, string? WebhookId)>();
                using (var claim = new NpgsqlCommand(_claimSql, connection, transaction))
                {
                    claim.Parameters.Add(Value(_batchSize));
                    claim.Parameters.Add(Value(skipped));
                    var reader = await claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            var webhookEvent = new WebhookEvent
                            {
                                Id = reader.GetString(1),
                                Type = reader.GetString(2),
                                TenantId = reader.IsDBNull(3) ? null : reader.GetString(3),
                                Timestamp = reader.GetFieldValue<DateTimeOffset>(4),
                                Data = reader.GetFieldValue<byte[]>(5),
                            };
                            rows.Add((reader.GetInt64(0), webhookEvent, reader.GetBoolean(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
                        }
                    }
                }

                // Publish in the order the host wrote them.
                rows.Sort(static (a, b) => a.Id.CompareTo(b.Id));
                foreach (var row in rows)
                {
                    try
                    {
                        await PublishAsync(row.Id, row.Event, row.Targeted, row.WebhookId, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                    {
                        // The transaction is rolled back as it is disposed: every row of the batch stays.
                        return (0, (row.Id, row.Event.Id, ExceptionDispatchInfo.Capture(exception)));
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                foreach (var row in rows)
                {
                    _setAside.Remove(row.Id);
                }

                if (rows.Count > 0)
                {
                    Log.Relayed(_logger, rows.Count);
                }

                return (rows.Count, null);
            }
        }
    }

    /// <summary>
    /// Forgets the set-aside rows no longer in the outbox (another instance relayed them): they would otherwise be kept
    /// for ever, towards <see cref="MaxSetAside"/>. A row another instance is relaying, still there, is kept.
    /// </summary>
    private async Task ForgetRowsGoneAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var present = new HashSet<long>();
        using (var query = new NpgsqlCommand(_presentSql, connection, transaction))
        {
            query.Parameters.Add(Value(_setAside.Keys.ToArray()));
            var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    present.Add(reader.GetInt64(0));
                }
            }
        }

        foreach (var id in _setAside.Keys.Where(id => !present.Contains(id)).ToArray())
        {
            _setAside.Remove(id);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!ReferenceEquals(_storeInUse, _store))
        {
            // The host chose another store after UsePostgreSql (UseInMemoryStore in its tests, say): the outbox is not
            // read, and the database is not touched.
            Log.RelayIdle(_logger, _storeInUse.GetType().Name);
            return;
        }

        using var registration = _store.SubscribeOutbox(_wake.Set);
        while (!stoppingToken.IsCancellationRequested)
        {
            int relayed;
            try
            {
                relayed = await RelayOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                Log.RelayFailed(_logger, exception);
                relayed = 0;
            }

            if (relayed < _batchSize)
            {
                try
                {
                    await _wake.WaitAsync(_pollInterval, _store.TimeProvider, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Sets a row aside until its retry time: the poll interval after its first failure, doubling with each failure up
    /// to five minutes. Returns <see langword="false"/> when as many rows are set aside as are kept.
    /// </summary>
    private bool SetAside(long rowId, string eventId, ExceptionDispatchInfo failure)
    {
        var failures = _setAside.TryGetValue(rowId, out var before) ? before.Failures + 1 : 1;
        if (failures == 1 && _setAside.Count >= MaxSetAside)
        {
            return false;
        }

        var delay = TimeSpan.FromTicks((long)Math.Min(_pollInterval.Ticks * Math.Pow(2, Math.Min(failures - 1, 30)), MaxRetryDelay.Ticks));
        _setAside[rowId] = (failures, _store.TimeProvider.GetUtcNow() + delay);
        Log.RelaySetAside(_logger, rowId, eventId, failures, delay, failure.SourceException);
        return true;
    }

    /// <summary>
    /// Publishes one row. A row that can never be published (its target is gone, or the publisher refuses the event) is
    /// logged and left deleted: keeping it would block every row behind it. The publisher writes on connections of its
    /// own, never in the relay's transaction, so a refused row leaves nothing half-done in it.
    /// </summary>
    private async Task PublishAsync(long rowId, WebhookEvent webhookEvent, bool targeted, string? webhookId, CancellationToken cancellationToken)
    {
        try
        {
            if (targeted)
            {
                await _publisher.PublishToAsync(webhookId, webhookEvent, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _publisher.PublishAsync(webhookEvent, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (WebhookNotFoundException)
        {
            Log.RelayTargetMissing(_logger, webhookEvent.Id, webhookId);
        }
        catch (ArgumentException exception)
        {
            // An invalid event (no id or type, data that is not JSON, an id too long to store) stays invalid.
            Log.RelayEventRefused(_logger, rowId, webhookEvent.Id, exception.Message, exception);
        }
    }
}
