using Microsoft.AspNetCore.Http;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>Keeps each caller within its tenant: another tenant's webhook is reported as missing, never as forbidden.</summary>
/// <param name="options">The API options holding the tenant resolver.</param>
internal sealed class TenantScope(WebhookApiOptions options)
{
    private static readonly object _itemKey = new();

    /// <summary>Returns the caller's tenant, resolving it once per request.</summary>
    public async ValueTask<string?> ResolveAsync(HttpContext context)
    {
        if (context.Items.TryGetValue(_itemKey, out var cached))
        {
            return (string?)cached;
        }

        var tenantId = await options.TenantResolver(context).ConfigureAwait(false);
        context.Items[_itemKey] = tenantId;
        return tenantId;
    }

    /// <summary>Reads a webhook of the caller's tenant, or <see langword="null"/>.</summary>
    public async Task<WebhookConfig?> FindAsync(HttpContext context, IWebhookEndpoints endpoints, string id, CancellationToken cancellationToken)
    {
        var tenantId = await ResolveAsync(context).ConfigureAwait(false);
        var config = await endpoints.ForTenant(tenantId).GetAsync(id, cancellationToken).ConfigureAwait(false);

        // Checked here too: a host's own IWebhookEndpoints may give a view that does not keep to the tenant.
        return config is not null && string.Equals(config.TenantId, tenantId, StringComparison.Ordinal) ? config : null;
    }

    /// <summary>
    /// Gets the caller's tenant's view of the webhooks: a change made through it checks the tenant on the version it
    /// writes over, so that a webhook deleted and created again with its id by another tenant after it was read here
    /// (ids may be chosen) is not changed.
    /// </summary>
    public async ValueTask<IWebhookEndpoints> ViewAsync(HttpContext context, IWebhookEndpoints endpoints) =>
        endpoints.ForTenant(await ResolveAsync(context).ConfigureAwait(false));
}
