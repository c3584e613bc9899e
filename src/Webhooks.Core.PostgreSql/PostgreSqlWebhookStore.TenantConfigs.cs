using Webhooks.Core.PostgreSql.Internal;

namespace Webhooks.Core.PostgreSql;

/// <content>The per-tenant config read of the publish hot path, served from memory while the listener keeps it fresh.</content>
public sealed partial class PostgreSqlWebhookStore
{
    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<WebhookConfig>> GetTenantConfigsAsync(string? tenantId, CancellationToken cancellationToken)
    {
        if (tenantId is not null && !StoredText.Storable(tenantId))
        {
            return [];
        }

        var (useCache, version) = (UseConfigCache(), _cache.Version);
        if (useCache && _cache.TryGetTenant(tenantId, _timeProvider.GetUtcNow(), out var cached))
        {
            return cached;
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var filter = new QueryFilter().EqualOrNull("tenant_id", tenantId);
        using var command = _dataSource.CreateCommand(
            $"SELECT {ConfigMapper.Columns} FROM {_schema}.configs{filter.Where} ORDER BY created_at, id");
        filter.AddParametersTo(command.Parameters);
        var configs = new List<WebhookConfig>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                configs.Add(_configs.Read(reader));
            }
        }

        WebhookConfig[] result = [.. configs];
        if (useCache)
        {
            _cache.StoreTenant(tenantId, result, version, _timeProvider.GetUtcNow());
        }

        return result;
    }

    /// <summary>
    /// Returns whether configs may be served from and kept in memory: only while the listener listens, so that a change
    /// made after a read began is sure to invalidate what the read returns. Starts the listener on first use.
    /// </summary>
    private bool UseConfigCache()
    {
        if (!_cache.IsEnabled)
        {
            return false;
        }

        _listener.EnsureStarted();
        return _listener.IsListening;
    }
}
