using Webhooks.Core.PostgreSql.Internal;

namespace Webhooks.Core.PostgreSql;

/// <content>The per-tenant config read of the publish hot path, served from memory while the listener guarantees freshness.</content>
public sealed partial class PostgreSqlWebhookStore
{
    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<WebhookConfig>> GetTenantConfigsAsync(string? tenantId, CancellationToken cancellationToken)
    {
        var useCache = _cache.IsEnabled;
        if (useCache)
        {
            _listener.EnsureStarted();
            if (_listener.IsListening && _cache.TryGet(tenantId, _timeProvider.GetUtcNow(), out var cached))
            {
                return cached;
            }
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var version = _cache.Version;
        var listening = _listener.IsListening;
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

        // Only a read that began while listening can be kept: changes after it are then sure to invalidate it.
        WebhookConfig[] result = [.. configs];
        if (useCache && listening)
        {
            _cache.Store(tenantId, result, version, _timeProvider.GetUtcNow());
        }

        return result;
    }
}
