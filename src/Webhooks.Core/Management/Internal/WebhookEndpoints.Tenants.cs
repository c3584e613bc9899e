namespace Webhooks.Core.Internal;

/// <content>
/// The rules that span a tenant's webhooks: at most <see cref="WebhooksOptions.MaxWebhooksPerTenant"/> of them, and one
/// default. Each is read, then written from what was read, so two changes at once could both pass. Within this process
/// such changes take turns; against another process sharing the store, each checks again once its write is stored.
/// </content>
internal sealed partial class WebhookEndpoints
{
    // A claim of the default is stamped at least this much after the tenant's latest claim, so that it is the newest even
    // on a clock that stands still (a test's) or lags another instance's, and at the store's precision (PostgreSQL's is
    // 1 µs).
    private static readonly TimeSpan ClaimStep = TimeSpan.FromMilliseconds(1);

    private const int TenantPage = 100;

    private readonly SemaphoreSlim _tenantChanges = new(1, 1);

    /// <summary>Runs a change that spans a tenant when no other such change of this process runs.</summary>
    private async Task<T> InTurnAsync<T>(Func<Task<T>> change, CancellationToken cancellationToken)
    {
        await _tenantChanges.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await change().ConfigureAwait(false);
        }
        finally
        {
            _tenantChanges.Release();
        }
    }

    private async Task<int> CountTenantAsync(string? tenantId, CancellationToken cancellationToken)
    {
        var page = await _store.ListConfigsAsync(
            new WebhookConfigQuery { TenantId = tenantId, IncludeUserDisabled = true, Limit = 1 }, cancellationToken).ConfigureAwait(false);
        return page.Total;
    }

    private ValidationProblem TenantFull(int count) =>
        new("tenantId", $"The tenant already has {count} webhooks; at most {_options.MaxWebhooksPerTenant} are allowed.");

    /// <summary>
    /// Takes back a webhook just added when the tenant now has more than allowed: another process added one at the same
    /// time. Whichever sees too many takes its own back, so the limit holds (both may, and both callers are refused).
    /// </summary>
    private async Task EnsureTenantLimitAfterAddAsync(WebhookConfig added, CancellationToken cancellationToken)
    {
        var count = await CountTenantAsync(added.TenantId, cancellationToken).ConfigureAwait(false);
        if (count > _options.MaxWebhooksPerTenant)
        {
            // The webhook added, at whatever generation it reached since, but not one created again with its id, perhaps
            // by another tenant (ids may be chosen). The store compares it with the one added, at its own precision.
            for (var generation = added.Generation; ;)
            {
                try
                {
                    await _store.DeleteConfigAsync(added with { Generation = generation }, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (WebhookConcurrencyException)
                {
                    // Refused at the generation stored: another webhook has the id now.
                    if (await _store.GetConfigAsync(added.Id, cancellationToken).ConfigureAwait(false) is not { } current || current.Generation == generation)
                    {
                        break;
                    }

                    generation = current.Generation;
                }
            }

            _states.NoteChange();
            throw new WebhookValidationException([TenantFull(count - 1)]);
        }
    }

    /// <summary>Reads the tenant's defaults, with a fresh read of the store (not the routing cache a store may keep).</summary>
    private async Task<List<WebhookConfig>> TenantDefaultsAsync(string? tenantId, CancellationToken cancellationToken)
    {
        var defaults = new List<WebhookConfig>();
        for (var offset = 0; ; offset += TenantPage)
        {
            var page = await _store.ListConfigsAsync(
                new WebhookConfigQuery { TenantId = tenantId, IncludeUserDisabled = true, Offset = offset, Limit = TenantPage }, cancellationToken).ConfigureAwait(false);
            defaults.AddRange(page.Items.Where(static c => c.IsDefault));
            if (page.Items.Count < TenantPage)
            {
                return defaults;
            }
        }
    }

    /// <summary>The time to stamp a claim of the default with: now, or just after the latest claim, whichever is later.</summary>
    private async Task<DateTimeOffset> ClaimStampAsync(string? tenantId, string claimerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stamp = now;
        foreach (var other in await TenantDefaultsAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            if (other.Id != claimerId && ClaimTime(other) + ClaimStep > stamp)
            {
                stamp = ClaimTime(other) + ClaimStep;
            }
        }

        return stamp;
    }

    /// <summary>
    /// Leaves one default in the tenant after <paramref name="claimer"/> was stored as its default: the one claimed last
    /// (by <see cref="WebhookConfig.DefaultClaimedAt"/>, then id; other changes to a webhook do not count). A claim made at
    /// the same time by another process sees the same stored webhooks and keeps the same one, so the two never clear each
    /// other.
    /// </summary>
    /// <returns>The claimer as it is now; no longer the default when a later claim won.</returns>
    private async Task<WebhookConfig> SettleDefaultAsync(WebhookConfig claimer, CancellationToken cancellationToken)
    {
        var defaults = await TenantDefaultsAsync(claimer.TenantId, cancellationToken).ConfigureAwait(false);
        if (defaults.Count <= 1)
        {
            return defaults.Count == 1 && defaults[0].Id == claimer.Id
                ? claimer
                : await _store.GetConfigAsync(claimer.Id, cancellationToken).ConfigureAwait(false) ?? claimer;
        }

        var kept = LastClaimed(defaults)!;
        WebhookConfig? self = null;
        foreach (var other in defaults.Where(c => c.Id != kept.Id))
        {
            // Only the webhook read: not one created again with its id since, perhaps by another tenant (ids may be chosen).
            var cleared = await _states.ApplyAsync(
                other.Id,
                c => c.IsDefault && c.IsSameWebhookAs(other)
                    ? new EndpointTransition(c with { IsDefault = false, DefaultClaimedAt = null }, c.State, c.Status, null)
                    : null,
                cancellationToken).ConfigureAwait(false);
            self = other.Id == claimer.Id ? cleared : self;
        }

        return kept.Id == claimer.Id ? kept : self ?? claimer;
    }

    /// <summary>
    /// The default that stays of <paramref name="defaults"/>: the one claimed last, by <see cref="WebhookConfig.DefaultClaimedAt"/>
    /// then by id (ordinal), so that every reader picks the same one; <see langword="null"/> when there is none.
    /// </summary>
    internal static WebhookConfig? LastClaimed(IEnumerable<WebhookConfig> defaults) =>
        defaults.MaxBy(static c => (ClaimTime(c), c.Id), ClaimOrder.Instance);

    // A default stored before claims were stamped counts as claimed before any stamped one.
    private static DateTimeOffset ClaimTime(WebhookConfig config) => config.DefaultClaimedAt ?? DateTimeOffset.MinValue;

    /// <summary>Orders claims by time, then by id (ordinal).</summary>
    private sealed class ClaimOrder : IComparer<(DateTimeOffset ClaimedAt, string Id)>
    {
        public static readonly ClaimOrder Instance = new();

        public int Compare((DateTimeOffset ClaimedAt, string Id) x, (DateTimeOffset ClaimedAt, string Id) y)
        {
            var byTime = x.ClaimedAt.CompareTo(y.ClaimedAt);
            return byTime != 0 ? byTime : string.CompareOrdinal(x.Id, y.Id);
        }
    }
}
