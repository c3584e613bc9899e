using Npgsql;
using Webhooks.Core.PostgreSql.Internal;
using static Webhooks.Core.PostgreSql.Internal.SqlParameters;

namespace Webhooks.Core.PostgreSql;

/// <content>Configs: CRUD with optimistic concurrency, listing, and the cached per-tenant read used when publishing.</content>
public sealed partial class PostgreSqlWebhookStore
{
    private const string UniqueViolation = "23505";

    /// <inheritdoc/>
    public async ValueTask AddConfigAsync(WebhookConfig config, CancellationToken cancellationToken)
    {
        ThrowIfKeysTooLong(config);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        using var batch = _dataSource.CreateBatch();
        var insert = new NpgsqlBatchCommand($"""
            INSERT INTO {_schema}.configs (id, tenant_id, state, status, is_default, created_at, updated_at, generation, body)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
            """);
        AddConfigParameters(insert.Parameters, config, config.Generation);
        batch.BatchCommands.Add(insert);

        // Left for a deleted webhook of this id: not the new one's. In the insert's transaction, so none is the new one's
        // yet, and none is deleted when the insert fails.
        var leftOver = new NpgsqlBatchCommand($"DELETE FROM {_schema}.messages WHERE webhook_id = $1");
        leftOver.Parameters.Add(Value(config.Id));
        batch.BatchCommands.Add(leftOver);
        batch.BatchCommands.Add(Notify(NotificationSink.ConfigPayload(config.Id, config.TenantId)));
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

            // Leftovers handed to this process's dispatcher at their insert went too: it must not take them.
            _handOff.Revoke(null, config.Id);
        }
        catch (PostgresException exception) when (exception.SqlState == UniqueViolation)
        {
            throw new WebhookConflictException($"A webhook with id '{config.Id}' already exists.", exception);
        }
        finally
        {
            _cache.Invalidate(config.Id, config.TenantId);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<WebhookConfig?> GetConfigAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!StoredText.Storable(id))
        {
            return null;
        }

        var (useCache, version) = (UseConfigCache(), _cache.Version);
        if (useCache && _cache.TryGetConfig(id, _timeProvider.GetUtcNow(), out var cached))
        {
            return cached;
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        using var command = _dataSource.CreateCommand($"SELECT {ConfigMapper.Columns} FROM {_schema}.configs WHERE id = $1");
        command.Parameters.Add(Value(id));
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var config = _configs.Read(reader);
        if (useCache)
        {
            _cache.StoreConfig(config, version, _timeProvider.GetUtcNow());
        }

        return config;
    }

    /// <inheritdoc/>
    public async ValueTask<WebhookConfig> UpdateConfigAsync(WebhookConfig config, long expectedGeneration, CancellationToken cancellationToken)
    {
        ThrowIfKeysTooLong(config);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);

        // One statement: the generation guard, and a notification for the tenant before and after the change.
        using var command = _dataSource.CreateCommand($"""
            WITH old AS (SELECT id, tenant_id FROM {_schema}.configs WHERE id = $1),
            changed AS (
                UPDATE {_schema}.configs c
                SET tenant_id = $2, state = $3, status = $4, is_default = $5, created_at = $6, updated_at = $7,
                    generation = $8 + 1, body = $9::jsonb
                FROM old
                -- Still the config that was read: one created again with its id (by another tenant, perhaps) starts its
                -- generations again.
                WHERE c.id = old.id AND c.generation = $8 AND c.tenant_id IS NOT DISTINCT FROM $2 AND c.created_at = $6
                RETURNING old.tenant_id AS old_tenant, c.tenant_id AS new_tenant)
            SELECT old_tenant, pg_notify($10, {NotificationSink.ConfigPayloadSql("$1", "old_tenant")})::text,
                   pg_notify($10, {NotificationSink.ConfigPayloadSql("$1", "new_tenant")})::text
            FROM changed
            """);
        AddConfigParameters(command.Parameters, config, expectedGeneration);
        command.Parameters.Add(Value(_channel));

        bool updated;
        string? oldTenant = null;
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            updated = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (updated)
            {
                oldTenant = reader.IsDBNull(0) ? null : reader.GetString(0);
            }
        }

        if (updated)
        {
            _cache.Invalidate(config.Id, oldTenant);
            _cache.Invalidate(config.Id, config.TenantId);
            return config with { Generation = expectedGeneration + 1 };
        }

        // This instance's view of the config is out of date: read it afresh next time.
        _cache.Invalidate(config.Id, config.TenantId);
        using var probe = _dataSource.CreateCommand($"SELECT generation FROM {_schema}.configs WHERE id = $1");
        probe.Parameters.Add(Value(config.Id));
        return await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) switch
        {
            long stored when stored == expectedGeneration => throw CreatedAgain(config.Id),
            long stored => throw StaleGeneration(config.Id, stored, expectedGeneration),
            _ => throw new WebhookNotFoundException($"Webhook '{config.Id}' does not exist."),
        };
    }

    private static WebhookConcurrencyException CreatedAgain(string id) =>
        new($"Webhook '{id}' was deleted and created again since it was read; read it again and reapply the change.");

    private static WebhookConcurrencyException StaleGeneration(string id, long stored, long expected) =>
        new($"Webhook '{id}' is at generation {stored}, not {expected}: it changed since it was read; read it again and reapply the change.");

    /// <inheritdoc/>
    public ValueTask<bool> DeleteConfigAsync(string id, CancellationToken cancellationToken) => DeleteConfigCoreAsync(id, null, null, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> DeleteConfigAsync(string id, long expectedGeneration, CancellationToken cancellationToken) =>
        DeleteConfigCoreAsync(id, expectedGeneration, null, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> DeleteConfigAsync(WebhookConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        return DeleteConfigCoreAsync(config.Id, config.Generation, config, cancellationToken);
    }

    private async ValueTask<bool> DeleteConfigCoreAsync(string id, long? expectedGeneration, WebhookConfig? read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!StoredText.Storable(id))
        {
            return false;
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);

        // The messages go only with their config: at another generation neither is deleted.
        using var command = _dataSource.CreateCommand($"""
            WITH removed AS (
                DELETE FROM {_schema}.configs
                -- With the config read: still that one, not one created again with its id (as UpdateConfigAsync).
                WHERE id = $1 AND ($3::bigint IS NULL OR generation = $3)
                    AND (NOT $4::boolean OR (tenant_id IS NOT DISTINCT FROM $5::text AND created_at = $6::timestamptz))
                RETURNING tenant_id),
            removed_messages AS (DELETE FROM {_schema}.messages WHERE webhook_id = $1 AND EXISTS (SELECT FROM removed))
            SELECT tenant_id, pg_notify($2, {NotificationSink.ConfigPayloadSql("$1", "tenant_id")})::text FROM removed
            """);
        command.Parameters.AddAll(
            Value(id), Value(_channel), Value(expectedGeneration), Value(read is not null), Value(read?.TenantId), Value(MessageMapper.Utc(read?.CreatedAt)));
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _cache.Invalidate(id, reader.IsDBNull(0) ? null : reader.GetString(0));
                _handOff.Revoke(null, id);
                return true;
            }
        }

        if (expectedGeneration is not { } expected)
        {
            return false;
        }

        // As a refused update: this instance's view of the config may be out of date, so it is read afresh next time
        // (the caller reads it again for its current version).
        _cache.Invalidate(id, null);
        using var probe = _dataSource.CreateCommand($"SELECT generation FROM {_schema}.configs WHERE id = $1");
        probe.Parameters.Add(Value(id));
        return await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) switch
        {
            long stored when stored == expected => throw CreatedAgain(id),
            long stored => throw StaleGeneration(id, stored, expected),
            _ => false,
        };
    }

    /// <inheritdoc/>
    public async ValueTask<WebhookPage<WebhookConfig>> ListConfigsAsync(WebhookConfigQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        if (query.TenantId is { } tenant && !StoredText.Storable(tenant))
        {
            return new WebhookPage<WebhookConfig>([], 0, query.Offset, query.Limit);
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);

        // Mirrors WebhookConfigQuery.Matches.
        var filter = new QueryFilter().EqualOrNull("tenant_id", query.TenantId);
        if (query.State is { } state)
        {
            filter.Compare("state", "=", (short)state);
        }

        if (query.Status is { } status)
        {
            filter.Compare("status", "=", (short)status);
        }

        if (query.State is null && query.Status is null && !query.IncludeUserDisabled)
        {
            filter.Condition($"status <> {(short)WebhookStatus.Disabled}");
        }

        filter.CreatedBetween(query.CreatedFrom, query.CreatedTo).After(query.After, OrdinalId);
        var (items, total) = await ReadPageAsync(
            $"{_schema}.configs", ConfigMapper.Columns, ConfigOrder, filter, query.Offset, query.Limit, _configs.Read, cancellationToken).ConfigureAwait(false);
        return new WebhookPage<WebhookConfig>(items, total, query.Offset, query.Limit);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<WebhookConfig>> ListAwaitingVerificationAsync(DateTimeOffset updatedBefore, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        using var command = _dataSource.CreateCommand($"""
            SELECT {ConfigMapper.Columns} FROM {_schema}.configs
            WHERE state = {(short)WebhookState.Enabled} AND status = {(short)WebhookStatus.Pending} AND updated_at < $1
            ORDER BY updated_at, {OrdinalId}
            LIMIT $2
            """);
        command.Parameters.AddAll(Value(MessageMapper.Utc(updatedBefore)), Value(maxCount));
        var awaiting = new List<WebhookConfig>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                awaiting.Add(_configs.Read(reader));
            }
        }

        return awaiting;
    }

    private static void ThrowIfKeysTooLong(WebhookConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        IndexedKey.ThrowIfTooLong(config.Id, nameof(config), nameof(config.Id));
        IndexedKey.ThrowIfTooLong(config.TenantId, nameof(config), nameof(config.TenantId));
    }

    /// <summary>Adds a config's columns as $1 to $9, <paramref name="generation"/> as $8.</summary>
    private void AddConfigParameters(NpgsqlParameterCollection parameters, WebhookConfig config, long generation) => parameters.AddAll(
        Value(config.Id),
        Value(config.TenantId),
        Value((short)config.State),
        Value((short)config.Status),
        Value(config.IsDefault),
        Value(MessageMapper.Utc(config.CreatedAt)),
        Value(MessageMapper.Utc(config.UpdatedAt)),
        Value(generation),
        Value(_configs.SerializeBody(config)));
}
