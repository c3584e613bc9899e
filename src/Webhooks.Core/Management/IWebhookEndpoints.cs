namespace Webhooks.Core;

/// <summary>Creates, changes and verifies webhooks. Every change is validated; nothing invalid is stored.</summary>
public interface IWebhookEndpoints
{
    /// <summary>Creates a webhook with a new secret and, when enabled, starts its verification.</summary>
    /// <param name="definition">The webhook to create.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <exception cref="WebhookValidationException">The definition is invalid or the tenant has too many webhooks.</exception>
    /// <exception cref="WebhookConflictException">The id is taken.</exception>
    Task<WebhookWithSecret> CreateAsync(WebhookDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Reads a webhook.</summary>
    /// <param name="id">The webhook id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    Task<WebhookConfig?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets one tenant's view of the webhooks, for a host that acts for a tenant (as the management API does for its
    /// caller). Another tenant's webhook is not found through it: reads return <see langword="null"/>, deletes
    /// <see langword="false"/>, and changes, tests and rotations throw <see cref="WebhookNotFoundException"/>. The tenant
    /// is checked on the version of the webhook each change writes over, so that a webhook deleted and created again
    /// with its id by another tenant meanwhile (ids may be chosen) is never changed, and its secret never returned. A
    /// definition or a listing query naming another tenant throws <see cref="ArgumentException"/>.
    /// </summary>
    /// <param name="tenantId">The tenant, or <see langword="null"/> for the default tenant.</param>
    /// <returns>The view; it holds no state of its own.</returns>
    IWebhookEndpoints ForTenant(string? tenantId);

    /// <summary>Lists webhooks of a tenant.</summary>
    /// <param name="query">The filters and page.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <exception cref="ArgumentOutOfRangeException">Its state or status is outside its enum, or its page is negative.</exception>
    Task<WebhookPage<WebhookConfig>> ListAsync(WebhookConfigQuery query, CancellationToken cancellationToken = default);

    /// <summary>Changes a webhook. A new URL or headers, or enabling, re-runs verification.</summary>
    /// <param name="id">The webhook id.</param>
    /// <param name="update">The change.</param>
    /// <param name="expectedGeneration">The generation the caller read, or <see langword="null"/> to apply to the latest.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <exception cref="WebhookNotFoundException">There is no such webhook.</exception>
    /// <exception cref="WebhookValidationException">The result would be invalid.</exception>
    /// <exception cref="WebhookConcurrencyException">The webhook changed since <paramref name="expectedGeneration"/>.</exception>
    /// <exception cref="WebhookRateLimitedException">Enabling was attempted too often.</exception>
    Task<WebhookConfig> UpdateAsync(string id, WebhookUpdate update, long? expectedGeneration = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a webhook with its messages.</summary>
    /// <param name="id">The webhook id.</param>
    /// <param name="expectedGeneration">The generation the caller read (an <c>If-Match</c>), or <see langword="null"/> to delete whatever its version.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="false"/> when there was no such webhook.</returns>
    /// <exception cref="WebhookConcurrencyException">The webhook changed since <paramref name="expectedGeneration"/>; it was not deleted.</exception>
    Task<bool> DeleteAsync(string id, long? expectedGeneration = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs the webhook's verification now (a test event when its mode is None) and returns the webhook after it. A
    /// webhook the system disabled (failed handshake, failures, 410 Gone) is enabled by the test, which counts against
    /// the enable limit.
    /// </summary>
    /// <param name="id">The webhook id.</param>
    /// <param name="expectedGeneration">The generation the caller read (an <c>If-Match</c>), or <see langword="null"/> to test whatever its version.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <exception cref="WebhookNotFoundException">There is no such webhook.</exception>
    /// <exception cref="InvalidTransitionException">Its owner disabled the webhook: it is enabled first, not tested.</exception>
    /// <exception cref="WebhookRateLimitedException">The webhook was system-disabled and has been enabled too often lately.</exception>
    /// <exception cref="WebhookConcurrencyException">The webhook changed since <paramref name="expectedGeneration"/>; it was not tested.</exception>
    Task<WebhookConfig> TestAsync(string id, long? expectedGeneration = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a new primary secret; the old ones keep signing for the grace period. A webhook signs with at most 10 secrets:
    /// rotating again while 10 are valid drops the oldest at once.
    /// </summary>
    /// <param name="id">The webhook id.</param>
    /// <param name="expectedGeneration">The generation the caller read (an <c>If-Match</c>), or <see langword="null"/> to rotate whatever its version.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <exception cref="WebhookNotFoundException">There is no such webhook.</exception>
    /// <exception cref="WebhookConcurrencyException">The webhook changed since <paramref name="expectedGeneration"/>; no secret was made.</exception>
    Task<WebhookWithSecret> RotateSecretAsync(string id, long? expectedGeneration = null, CancellationToken cancellationToken = default);
}
