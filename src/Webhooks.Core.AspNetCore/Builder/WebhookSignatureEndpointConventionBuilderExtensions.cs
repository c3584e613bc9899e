using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing;
using Webhooks.Core.AspNetCore;
using Webhooks.Core.AspNetCore.Internal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Verifies Standard Webhooks deliveries before a host's own endpoints run.</summary>
public static class WebhookSignatureEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Checks every request to the endpoints as a Standard Webhooks delivery before their handler runs, as
    /// <c>MapWebhookReceiver</c> does: a wrong or missing signature, a timestamp out of tolerance or a replay answers a
    /// 401 problem and the handler does not run. The handler takes the verified event with
    /// <see cref="WebhookHttpContextExtensions.GetReceivedWebhookEvent"/>, and may read the body again.
    /// </summary>
    /// <remarks>
    /// The check is an endpoint filter: it applies to route handlers and to controller actions mapped with
    /// <c>MapControllers</c>. A filter runs after the handler's parameters are bound, so a handler must not bind the body
    /// as a parameter: the check needs the body as sent, and such a request answers 500, saying so. Handshakes are not
    /// answered here; use <c>MapWebhookReceiver</c> for an endpoint that does both.
    /// </remarks>
    /// <typeparam name="TBuilder">The endpoint convention builder.</typeparam>
    /// <param name="builder">The endpoint or group.</param>
    /// <param name="configure">Sets the secrets, the tolerance and the replay guard.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range (a negative tolerance, a size below 1).</exception>
    public static TBuilder RequireWebhookSignature<TBuilder>(this TBuilder builder, Action<WebhookReceiverOptions> configure)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = WebhookDeliveryVerifier.ReadOptions(configure);
        builder.Add(endpoint =>
        {
            // A verifier per endpoint (its route in the logs); every receiver of the application shares its replay guard.
            var route = (endpoint as RouteEndpointBuilder)?.RoutePattern.RawText ?? endpoint.DisplayName ?? "webhook";
            var verifier = WebhookDeliveryVerifier.Create(route, options, endpoint.ApplicationServices);
            // A handler that binds the body declares it: with no Content-Length (chunked), that is how a body read by the
            // binding is told from an empty one.
            var bindsBody = BindsBody(endpoint.Metadata);
            endpoint.FilterFactories.Add((_, next) => invocation => VerifyThenRunAsync(verifier, bindsBody, invocation, next));
        });
        return builder;
    }

    /// <summary>
    /// Whether the endpoint's handler binds the request body: a route handler's parameters are inferred (into
    /// <see cref="IAcceptsMetadata"/>) before conventions run; a controller action's binding sources are in its descriptor.
    /// </summary>
    private static bool BindsBody(IList<object> metadata) =>
        metadata.OfType<IAcceptsMetadata>().Any()
        || metadata.OfType<ActionDescriptor>().Any(static action => action.Parameters.Any(static p =>
            p.BindingInfo?.BindingSource is { } source && (source == BindingSource.Body || source == BindingSource.Form || source == BindingSource.FormFile)));

    private static async ValueTask<object?> VerifyThenRunAsync(
        WebhookDeliveryVerifier verifier, bool bindsBody, EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var (body, tooLarge) = await verifier.ReadBodyAsync(context).ConfigureAwait(false);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        if (body.IsEmpty && (context.Request.ContentLength is > 0 || (context.Request.ContentLength is null && bindsBody)))
        {
            // Something read the body before this check: the handler bound it as a parameter.
            return TypedResults.Problem(
                detail: "The endpoint's handler binds the request body, which is read before the webhook signature is checked. " +
                    "Take the verified event with HttpContext.GetReceivedWebhookEvent() instead.",
                statusCode: StatusCodes.Status500InternalServerError,
                title: "The webhook endpoint is misconfigured.");
        }

        var (received, rejection) = await verifier.VerifyAsync(context, body).ConfigureAwait(false);
        if (rejection is not null)
        {
            return rejection;
        }

        context.Features.Set(received!);
        try
        {
            return await next(invocation).ConfigureAwait(false);
        }
        catch
        {
            await verifier.ForgetAsync(context).ConfigureAwait(false);
            throw;
        }
    }
}
