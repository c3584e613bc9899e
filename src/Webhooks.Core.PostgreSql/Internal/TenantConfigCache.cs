using System.Collections.Concurrent;

namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>
/// The configs of each tenant, for the publish hot path. Every invalidation bumps a version; a load stores its result only
/// if no invalidation happened since it began, so a read that raced a change never outlives the change's notification.
/// </summary>
internal sealed class TenantConfigCache(TimeSpan maxAge)
{
    private readonly ConcurrentDictionary<string, Entry> _tenants = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private Entry? _defaultTenant;
    private long _version;

    public bool IsEnabled => maxAge > TimeSpan.Zero;

    /// <summary>Gets the version to pass to <see cref="Store"/> after a load that starts now.</summary>
    public long Version => Interlocked.Read(ref _version);

    public bool TryGet(string? tenantId, DateTimeOffset now, out IReadOnlyList<WebhookConfig> configs)
    {
        var entry = tenantId is null ? Volatile.Read(ref _defaultTenant) : _tenants.GetValueOrDefault(tenantId);
        if (entry is not null && now - entry.LoadedAt < maxAge)
        {
            configs = entry.Configs;
            return true;
        }

        configs = [];
        return false;
    }

    public void Store(string? tenantId, IReadOnlyList<WebhookConfig> configs, long versionAtLoad, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (versionAtLoad != _version)
            {
                return;
            }

            var entry = new Entry(configs, now);
            if (tenantId is null)
            {
                Volatile.Write(ref _defaultTenant, entry);
            }
            else
            {
                _tenants[tenantId] = entry;
            }
        }
    }

    public void Invalidate(string? tenantId)
    {
        lock (_gate)
        {
            _version++;
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
        }
    }

    private sealed record Entry(IReadOnlyList<WebhookConfig> Configs, DateTimeOffset LoadedAt);
}
