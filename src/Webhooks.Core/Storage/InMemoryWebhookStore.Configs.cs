using Webhooks.Core.Internal;

namespace Webhooks.Core;

/// <content>Configs: optimistic concurrency, per-tenant snapshots for routing, listing.</content>
public sealed partial class InMemoryWebhookStore
{
    private static readonly Comparison<WebhookConfig> NewestFirst = static (x, y) =>
    {
        var byTime = y.CreatedAt.CompareTo(x.CreatedAt);
        return byTime != 0 ? byTime : string.CompareOrdinal(x.Id, y.Id);
    };

    /// <inheritdoc/>
    public ValueTask AddConfigAsync(WebhookConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_configLock)
        {
            if (!_configs.TryAdd(config.Id, config))
            {
                return ValueTask.FromException(new WebhookConflictException($"A webhook with id '{config.Id}' already exists."));
            }

            // Left for a deleted webhook of this id: not the new one's. Taken before routing sees the new one, so that no
            // publish can route to it yet.
            lock (_messageLock)
            {
                RemoveWebhookMessages(config.Id);
            }

            AddToTenant(config);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<WebhookConfig?> GetConfigAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_configLock)
        {
            return new(_configs.GetValueOrDefault(id));
        }
    }

    /// <inheritdoc/>
    public ValueTask<WebhookConfig> UpdateConfigAsync(WebhookConfig config, long expectedGeneration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_configLock)
        {
            if (!_configs.TryGetValue(config.Id, out var current))
            {
                return ValueTask.FromException<WebhookConfig>(new WebhookNotFoundException($"No webhook has id '{config.Id}'."));
            }

            if (current.Generation != expectedGeneration)
            {
                return ValueTask.FromException<WebhookConfig>(WebhookConcurrencyException.AtGeneration(config.Id, current.Generation, expectedGeneration));
            }

            if (!current.IsSameWebhookAs(config))
            {
                return ValueTask.FromException<WebhookConfig>(WebhookConcurrencyException.CreatedAgain(config.Id));
            }

            var stored = config with { Generation = expectedGeneration + 1 };
            _configs[config.Id] = stored;
            ReplaceInTenant(current, stored);
            return new(stored);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> DeleteConfigAsync(string id, CancellationToken cancellationToken) => DeleteConfig(id, null, null, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> DeleteConfigAsync(string id, long expectedGeneration, CancellationToken cancellationToken) =>
        DeleteConfig(id, expectedGeneration, null, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> DeleteConfigAsync(WebhookConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        return DeleteConfig(config.Id, config.Generation, config, cancellationToken);
    }

    private ValueTask<bool> DeleteConfig(string id, long? expectedGeneration, WebhookConfig? read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        bool deleted;
        lock (_configLock)
        {
            if (expectedGeneration is { } expected && _configs.TryGetValue(id, out var current) && current.Generation != expected)
            {
                return ValueTask.FromException<bool>(WebhookConcurrencyException.AtGeneration(id, current.Generation, expected));
            }

            if (read is not null && _configs.TryGetValue(id, out current) && !current.IsSameWebhookAs(read))
            {
                return ValueTask.FromException<bool>(WebhookConcurrencyException.CreatedAgain(id));
            }

            deleted = _configs.Remove(id, out var config);
            if (deleted)
            {
                RemoveFromTenant(config!);
            }

            // Under the config lock, so that a config added again with this id does not lose the messages published to it.
            lock (_messageLock)
            {
                RemoveWebhookMessages(id);
            }
        }

        return new(deleted);
    }

    /// <inheritdoc/>
    public ValueTask<WebhookPage<WebhookConfig>> ListConfigsAsync(WebhookConfigQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ValidatePage(query.Offset, query.Limit);
        cancellationToken.ThrowIfCancellationRequested();
        var matching = new List<WebhookConfig>();
        foreach (var config in TenantConfigs(query.TenantId))
        {
            if (query.Matches(config))
            {
                matching.Add(config);
            }
        }

        matching.Sort(NewestFirst);
        var count = query.Offset >= matching.Count ? 0 : Math.Min(query.Limit, matching.Count - query.Offset);
        var items = count == 0 ? [] : matching.GetRange(query.Offset, count).ToArray();
        return new(new WebhookPage<WebhookConfig>(items, matching.Count, query.Offset, query.Limit));
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<WebhookConfig>> ListAwaitingVerificationAsync(DateTimeOffset updatedBefore, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_configLock)
        {
            IReadOnlyList<WebhookConfig> awaiting = _configs.Values
                .Where(c => c is { State: WebhookState.Enabled, Status: WebhookStatus.Pending } && c.UpdatedAt < updatedBefore)
                .OrderBy(static c => c.UpdatedAt)
                .ThenBy(static c => c.Id, StringComparer.Ordinal)
                .Take(maxCount)
                .ToArray();
            return new(awaiting);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Returns the same immutable list until a config of the tenant changes; allocates nothing.</remarks>
    public ValueTask<IReadOnlyList<WebhookConfig>> GetTenantConfigsAsync(string? tenantId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(TenantConfigs(tenantId));
    }

    private WebhookConfig[] TenantConfigs(string? tenantId) =>
        _tenantConfigs.TryGetValue(new TenantKey(tenantId), out var configs) ? configs : [];

    // The snapshots are replaced, never changed, so readers need no lock; writers hold _configLock.
    private void AddToTenant(WebhookConfig config)
    {
        var key = new TenantKey(config.TenantId);
        _tenantConfigs[key] = [.. TenantConfigs(config.TenantId), config];
    }

    // An update keeps the tenant (see UpdateConfigAsync).
    private void ReplaceInTenant(WebhookConfig current, WebhookConfig updated)
    {
        var configs = (WebhookConfig[])TenantConfigs(current.TenantId).Clone();
        configs[Array.IndexOf(configs, current)] = updated;
        _tenantConfigs[new TenantKey(current.TenantId)] = configs;
    }

    private void RemoveFromTenant(WebhookConfig config)
    {
        var key = new TenantKey(config.TenantId);
        var remaining = Array.FindAll(TenantConfigs(config.TenantId), other => !ReferenceEquals(other, config));
        if (remaining.Length == 0)
        {
            _tenantConfigs.TryRemove(key, out _);
        }
        else
        {
            _tenantConfigs[key] = remaining;
        }
    }
}
