using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Webhooks.Core;
using Webhooks.Core.AspNetCore;
using Webhooks.Core.AspNetCore.Internal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Webhooks.Core management REST API.</summary>
public static class WebhookApiEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the management REST API under <paramref name="prefix"/>: create, list, read, merge-patch and delete webhooks,
    /// test them, rotate their secret, and read and act on their delivery log. Errors are RFC 7807 problem details.
    /// Requires <see cref="IWebhookEndpoints"/> and <see cref="IDeliveryLog"/> in the services (<c>AddWebhooks</c> registers them).
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="prefix">The route prefix, for example <c>/webhooks</c>.</param>
    /// <param name="configure">Configures the tenant resolver and paging.</param>
    /// <returns>The route group, to add authorization, rate limiting or other conventions to every route.</returns>
    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder endpoints, string prefix, Action<WebhookApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var options = new WebhookApiOptions();
        configure?.Invoke(options);
        ArgumentNullException.ThrowIfNull(options.TenantResolver, "options.TenantResolver");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPageSize, 1, "options.MaxPageSize");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DefaultPageSize, 1, "options.DefaultPageSize");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.DefaultPageSize, options.MaxPageSize, "options.DefaultPageSize");

        var group = endpoints.MapGroup(prefix);
        group.WithTags(options.OpenApiTag);
        group.AddEndpointFilter(new WebhookApiExceptionFilter());
        WebhookApiRoutes.Map(group, options);
        return group;
    }
}
