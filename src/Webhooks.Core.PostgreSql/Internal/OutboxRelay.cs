using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using static Webhooks.Core.PostgreSql.Internal.SqlParameters;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>
/// Moves committed outbox rows to the publisher. Rows are deleted in the transaction that claimed them with
/// <c>FOR UPDATE SKIP LOCKED</c>, committed after publishing: a crash re-relays them, which the publisher's idempotency on
/// event ids makes harmless, and several instances relay different rows.
/// </summary>
internal sealed class OutboxRelay : BackgroundService
{
    private readonly PostgreSqlWebhookStore _store;
    private readonly IWebhookStore _storeInUse;
    private readonly IWebhookPublisher _publisher;
    private readonly int _batchSize;
    private readonly TimeSpan _pollInterval;
    private readonly ILogger _logger;
    private readonly WakeSignal _wake = new();
    private readonly string _claimSql;

    public OutboxRelay(PostgreSqlWebhookStore store, IWebhookStore storeInUse, IWebhookPublisher publisher, int batchSize, TimeSpan pollInterval, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _store = store;
        _storeInUse = storeInUse;
        _publisher = publisher;
        _batchSize = batchSize;
        _pollInterval = pollInterval;
        _logger = logger;
        _claimSql = $"""
            DELETE FROM {store.Schema}.outbox
            WHERE id IN (SELECT id FROM {store.Schema}.outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING id, event_id, event_type, tenant_id, occurred_at, data, targeted, target_webhook_id
            """;
    }

    /// <summary>Relays one batch of committed events.</summary>
    /// <returns>How many events were relayed.</returns>
    public async Task<int> RelayOnceAsync(CancellationToken cancellationToken)
    {
        await _store.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var rows = new List<(long Id, WebhookEvent Event, bool Targeted, string? WebhookId)>();
                using (var claim = new NpgsqlCommand(_claimSql, connection, transaction))
                {
                    claim.Parameters.Add(Value(_batchSize));
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
                    await PublishAsync(row.Id, row.Event, row.Targeted, row.WebhookId, cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                if (rows.Count > 0)
                {
                    Log.Relayed(_logger, rows.Count);
                }

                return rows.Count;
            }
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
