using Microsoft.AspNetCore.Http;

namespace Webhooks.Core.AspNetCore;

/// <summary>Configures the management REST API mapped by <c>MapWebhooks</c>.</summary>
public sealed class WebhookApiOptions
{
    /// <summary>
    /// Gets or sets the function that names the caller's tenant. Every route only sees the webhooks and messages of
    /// that tenant; anything else answers 404 so that other tenants' ids are not revealed.
    /// The default value returns <see langword="null"/> (the default tenant) for every caller.
    /// </summary>
    /// <remarks>
    /// <see langword="null"/> is the default tenant, where a host keeps its own webhooks: a caller the resolver finds no
    /// tenant for should be refused by the endpoints' authorization (for example <c>RequireClaim</c>) before it runs.
    /// </remarks>
    public Func<HttpContext, ValueTask<string?>> TenantResolver { get; set; } = static _ => ValueTask.FromResult<string?>(null);

    /// <summary>Gets or sets the page size used when a listing does not ask for one. The default value is 50.</summary>
    public int DefaultPageSize { get; set; } = 50;

    /// <summary>Gets or sets the largest page size a listing may ask for. The default value is 100.</summary>
    public int MaxPageSize { get; set; } = 100;

    /// <summary>
    /// Gets the query parameters of the host's own (one its <see cref="TenantResolver"/> or a middleware reads, such as
    /// <c>api-version</c>) that the listing routes let through. Any other parameter a listing does not take answers 400
    /// naming it, so that a misspelt filter is not dropped. Names match in any case. Empty by default.
    /// </summary>
    public IList<string> ExtraQueryParameters { get; } = [];

    /// <summary>Gets or sets the OpenAPI tag of the routes. The default value is <c>Webhooks</c>.</summary>
    public string OpenApiTag { get; set; } = "Webhooks";

    /// <summary>
    /// Gets or sets what the routes' endpoint names (their OpenAPI operation ids, such as <c>CreateWebhook</c>) start
    /// with. Endpoint names are unique in an app: an app that maps the API twice (a tenants' API and an operators' one,
    /// say) gives each mapping its own prefix. The default value is empty.
    /// </summary>
    public string EndpointNamePrefix { get; set; } = string.Empty;
}
