namespace Webhooks.Core.Internal;

/// <summary>
/// The tenant whose webhooks a change may act on (<see cref="IWebhookEndpoints.ForTenant"/>), or any tenant. Checked on
/// the version of the webhook the change writes over, so that a webhook deleted and created again with its id by
/// another tenant in between (ids may be chosen) is not changed: it is not found.
/// </summary>
internal sealed class TenantOnly
{
    /// <summary>Gets the scope of the unscoped endpoints: every tenant's webhooks.</summary>
    public static TenantOnly Any { get; } = new(null, scoped: false);

    private readonly string? _tenantId;
    private readonly bool _scoped;

    private TenantOnly(string? tenantId, bool scoped)
    {
        _tenantId = tenantId;
        _scoped = scoped;
    }

    /// <summary>Gets the scope of one tenant (<see langword="null"/> for the default tenant).</summary>
    public static TenantOnly Of(string? tenantId) => new(tenantId, scoped: true);

    public bool Holds(WebhookConfig config) => !_scoped || string.Equals(config.TenantId, _tenantId, StringComparison.Ordinal);

    /// <exception cref="WebhookNotFoundException">The webhook is another tenant's.</exception>
    public void ThrowUnlessHeld(WebhookConfig config)
    {
        if (!Holds(config))
        {
            throw new WebhookNotFoundException($"Webhook '{config.Id}' does not exist.");
        }
    }
}
