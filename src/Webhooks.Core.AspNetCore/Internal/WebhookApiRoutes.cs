using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>The routes of the management API with their OpenAPI metadata.</summary>
internal static class WebhookApiRoutes
{
    private const string Json = "application/json";
    private const string MergePatch = JsonBody.MergePatch;

    public static void Map(RouteGroupBuilder group, WebhookApiOptions options)
    {
        var scope = new TenantScope(options);
        var webhooks = new WebhookHandlers(options, scope);
        var messages = new MessageHandlers(options, scope);

        group.MapPost("/", webhooks.CreateAsync)
            .WithName(options.EndpointNamePrefix + "CreateWebhook")
            .WithSummary("Creates a webhook.")
            .WithDescription("Answers 201 with a Location header. The signing secret is in this answer only (and in the answer to a rotation).")
            .Accepts<CreateWebhookRequest>(Json)
            .Produces<WebhookResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        group.MapGet("/", webhooks.ListAsync)
            .WithName(options.EndpointNamePrefix + "ListWebhooks")
            .WithSummary("Lists webhooks.")
            .WithDescription("Newest first. Filters by state, status and creation time; pages by offset and limit, or by after, the next of the page before. Webhooks the user disabled are listed only when a state or status filter asks for them.")
            .WithMetadata(WebhookApiQueryParameters.OfWebhooks(options))
            .Produces<WebhookPageResponse>()
            .ProducesValidationProblem();

        group.MapGet("/{id}", webhooks.GetAsync)
            .WithName(options.EndpointNamePrefix + "GetWebhook")
            .WithSummary("Reads a webhook.")
            .WithDescription("The ETag header carries the generation for a later If-Match. Custom header values and secrets are never returned.")
            .Produces<WebhookResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPatch("/{id}", webhooks.UpdateAsync)
            .WithName(options.EndpointNamePrefix + "UpdateWebhook")
            .WithSummary("Changes a webhook with a JSON merge patch.")
            .WithDescription("Absent fields are unchanged; \"eventFilter\": null removes the filter; \"state\": \"DISABLED\" disables and \"ENABLED\" re-enables (verification runs). If-Match (412 when it names no current version) or a generation field (409 when stale) guards against concurrent changes.")
            .Accepts<UpdateWebhookRequest>(MergePatch, Json)
            .Produces<WebhookResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        group.MapDelete("/{id}", webhooks.DeleteAsync)
            .WithName(options.EndpointNamePrefix + "DeleteWebhook")
            .WithSummary("Deletes a webhook with its delivery log.")
            .WithDescription("If-Match (412 when it names no current version) guards against deleting a webhook changed since it was read.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        group.MapPost("/{id}/test", webhooks.TestAsync)
            .WithName(options.EndpointNamePrefix + "TestWebhook")
            .WithSummary("Verifies a webhook now.")
            .WithDescription("Runs the webhook's verification (a handshake or a test event) and answers the webhook after it. A webhook its owner disabled is not tested (409); a system-disabled one is enabled by the test, which counts against the enable limit (429). If-Match as for a delete.")
            .Produces<WebhookResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        group.MapPost("/{id}/secret/rotate", webhooks.RotateSecretAsync)
            .WithName(options.EndpointNamePrefix + "RotateWebhookSecret")
            .WithSummary("Makes a new signing secret.")
            .WithDescription("The new secret is in this answer only. Older secrets keep signing for the grace period. If-Match as for a delete.")
            .Produces<WebhookResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        group.MapGet("/{id}/messages", messages.ListAsync)
            .WithName(options.EndpointNamePrefix + "ListWebhookMessages")
            .WithSummary("Lists a webhook's delivery log, newest first.")
            .WithMetadata(WebhookApiQueryParameters.OfMessages(options))
            .Produces<MessagePageResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id}/messages/{messageId}", messages.GetAsync)
            .WithName(options.EndpointNamePrefix + "GetWebhookMessage")
            .WithSummary("Reads a message with its payload and every attempt.")
            .Produces<MessageResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{id}/messages/{messageId}/retry", messages.RetryAsync)
            .WithName(options.EndpointNamePrefix + "RetryWebhookMessage")
            .WithSummary("Attempts a retrying or failed message now.")
            .Produces<MessageResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{id}/messages/{messageId}/cancel", messages.CancelAsync)
            .WithName(options.EndpointNamePrefix + "CancelWebhookMessage")
            .WithSummary("Cancels a created or retrying message.")
            .Produces<MessageResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{id}/recover", messages.RecoverAsync)
            .WithName(options.EndpointNamePrefix + "RecoverWebhookMessages")
            .WithSummary("Re-queues the failed messages created since a time.")
            .Accepts<RecoverRequest>(Json)
            .Produces<RecoverResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        // Routing answers a body of another media type with a bare 415 before the routes above run, unless the host
        // makes status codes problems. These routes take what they refuse, after them, and answer the API's problem.
        MapUnsupportedMediaType(group.MapPost("/", Refuse(Json)));
        MapUnsupportedMediaType(group.MapPatch("/{id}", Refuse(MergePatch)));
        MapUnsupportedMediaType(group.MapPost("/{id}/recover", Refuse(Json)));

        // Routing likewise answers a method a route does not take with a bare 405. Each route pattern gets one more
        // endpoint, of every method and ordered after all the others, which answers the API's problem instead.
        string[] patterns = ["/", "/{id}", "/{id}/test", "/{id}/secret/rotate", "/{id}/messages", "/{id}/messages/{messageId}",
            "/{id}/messages/{messageId}/retry", "/{id}/messages/{messageId}/cancel", "/{id}/recover"];
        foreach (var pattern in patterns)
        {
            group.Map(pattern, RefuseMethod).WithOrder(2).ExcludeFromDescription();
        }
    }

    /// <summary>Answers a method the matched route does not take with 405, listing the methods of its pattern in <c>Allow</c>.</summary>
    private static IResult RefuseMethod(HttpContext context)
    {
        var allowed = AllowedMethods(context);
        context.Response.Headers.Allow = string.Join(", ", allowed);
        return ApiProblems.MethodNotAllowed(context.Request.Method, allowed);
    }

    /// <summary>
    /// The methods the app's endpoints of the request's route pattern take: this API's, and any the host mapped at the
    /// same pattern. Read from the endpoints when asked, so that the list cannot drift from the routes.
    /// </summary>
    private static string[] AllowedMethods(HttpContext context)
    {
        var pattern = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        return [.. context.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => string.Equals(e.RoutePattern.RawText, pattern, StringComparison.Ordinal))
            .SelectMany(static e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            .Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    private static Func<HttpContext, IResult> Refuse(string mediaType) => context => JsonBody.RefuseMediaType(context, mediaType);

    private static void MapUnsupportedMediaType(RouteHandlerBuilder route) => route.WithOrder(1).ExcludeFromDescription();
}
