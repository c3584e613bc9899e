using System.Collections.Concurrent;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>
/// Configs by tenant (the publish hot path) and by id (read before every batch of attempts). Every invalidation bumps a
/// version; a load stores its result only if no invalidation happened since it began, so a read that raced a change
/// never outlives the change's notification.
/// </summary>
internal sealed class ConfigCache(TimeSpan maxAge)
{
    private readonly ConcurrentDictionary<string, Entry<IReadOnlyList<WebhookConfig>>> _tenants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<WebhookConfig>> _configs = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private Entry<IReadOnlyList<WebhookConfig>>? _defaultTenant;
    private long _version;

    public bool IsEnabled => maxAge > TimeSpan.Zero;

    /// <summary>Gets the version to pass to <see cref="StoreTenant"/> or <see cref="StoreConfig"/> after a load that starts now.</summary>
    public long Version => Interlocked.Read(ref _version);

    public bool TryGetTenant(string? tenantId, DateTimeOffset now, out IReadOnlyList<WebhookConfig> configs)
    {
        var entry = tenantId is null ? Volatile.Read(ref _defaultTenant) : _tenants.GetValueOrDefault(tenantId);
        configs = entry is not null && now - entry.LoadedAt < maxAge ? entry.Value : [];
        return entry is not null && now - entry.LoadedAt < maxAge;
    }

    public bool TryGetConfig(string id, DateTimeOffset now, out WebhookConfig? config)
    {
        var entry = _configs.GetValueOrDefault(id);
        config = entry is not null && now - entry.LoadedAt < maxAge ? entry.Value : null;
        return config is not null;
    }

    /// <summary>Keeps a tenant's configs, and each of them by id.</summary>
    public void StoreTenant(string? tenantId, IReadOnlyList<WebhookConfig> configs, long versionAtLoad, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (versionAtLoad != _version)
            {
                return;
            }

            var entry = new Entry<IReadOnlyList<WebhookConfig>>(configs, now);
            if (tenantId is null)
            {
                Volatile.Write(ref _defaultTenant, entry);
            }
            else
            {
                _tenants[tenantId] = entry;
            }

            foreach (var config in configs)
            {
                _configs[config.Id] = new Entry<WebhookConfig>(config, now);
            }
        }
    }

    public void StoreConfig(WebhookConfig config, long versionAtLoad, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (versionAtLoad == _version)
            {
                _configs[config.Id] = new Entry<WebhookConfig>(config, now);
            }
        }
    }

    /// <summary>Forgets a config and the configs of its tenant.</summary>
    public void Invalidate(string? id, string? tenantId)
    {
        lock (_gate)
        {
            _version++;
            if (id is not null)
            {
                _configs.TryRemove(id, out _);
            }

            if (tenantId is null)
            {
                Volatile.Write(ref _defaultTenant, null);
            }
            else
            {
                _tenants.TryRemove(tenantId, out _);
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _version++;
            Volatile.Write(ref _defaultTenant, null);
            _tenants.Clear();
            _configs.Clear();
        }
    }

    private sealed record Entry<T>(T Value, DateTimeOffset LoadedAt);
}
