namespace Webhooks.Core.Internal;

/// <summary>
/// One tenant's view of the webhooks (<see cref="IWebhookEndpoints.ForTenant"/>): another tenant's webhook is not found
/// through it, checked on the version each change writes over.
/// </summary>
internal sealed class TenantWebhookEndpoints(WebhookEndpoints endpoints, string? tenantId) : IWebhookEndpoints
{
    private readonly TenantOnly _scope = TenantOnly.Of(tenantId);

    public Task<WebhookWithSecret> CreateAsync(WebhookDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ThrowUnlessThisTenant(definition.TenantId, "definition.TenantId");
        return endpoints.CreateAsync(definition, cancellationToken);
    }

    public async Task<WebhookConfig?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        await endpoints.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } config && _scope.Holds(config) ? config : null;

    public Task<WebhookPage<WebhookConfig>> ListAsync(WebhookConfigQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ThrowUnlessThisTenant(query.TenantId, "query.TenantId");
        return endpoints.ListAsync(query, cancellationToken);
    }

    public Task<WebhookConfig> UpdateAsync(string id, WebhookUpdate update, long? expectedGeneration = null, CancellationToken cancellationToken = default) =>
        endpoints.UpdateAsync(id, update, expectedGeneration, _scope, cancellationToken);

    public Task<bool> DeleteAsync(string id, long? expectedGeneration = null, CancellationToken cancellationToken = default) =>
        endpoints.DeleteAsync(id, expectedGeneration, _scope, cancellationToken);

    public Task<WebhookConfig> TestAsync(string id, long? expectedGeneration = null, CancellationToken cancellationToken = default) =>
        endpoints.TestAsync(id, expectedGeneration, _scope, cancellationToken);

    public Task<WebhookWithSecret> RotateSecretAsync(string id, long? expectedGeneration = null, CancellationToken cancellationToken = default) =>
        endpoints.RotateSecretAsync(id, expectedGeneration, _scope, cancellationToken);

    public IWebhookEndpoints ForTenant(string? tenantId) => endpoints.ForTenant(tenantId);

    private void ThrowUnlessThisTenant(string? given, string parameterName)
    {
        if (!string.Equals(given, tenantId, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The tenant is {Describe(given)}, but these are the webhooks of {Describe(tenantId)}: use ForTenant({(given is null ? "null" : "\"" + given + "\"")}).",
                parameterName);
        }
    }

    private static string Describe(string? tenant) => tenant is null ? "the default tenant" : $"tenant '{tenant}'";
}
