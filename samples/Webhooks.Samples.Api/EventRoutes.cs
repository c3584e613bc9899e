using System.Text;
using System.Text.Json;
using Webhooks.Core;

namespace Webhooks.Samples.Api;

/// <summary>The host's own endpoint that publishes an event, standing in for whatever in a real host raises events.</summary>
internal static class EventRoutes
{
    public static RouteHandlerBuilder MapEvents(this IEndpointRouteBuilder endpoints, string pattern) =>
        endpoints.MapPost(pattern, PublishAsync)
            .WithName("PublishEvent")
            .WithSummary("Publishes an event to the caller's webhooks.")
            .Accepts<PublishRequest>("application/json")
            .Produces<PublishResult>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    private static async Task<IResult> PublishAsync(HttpContext context, IWebhookPublisher publisher, CancellationToken cancellationToken)
    {
        if (!context.Request.HasJsonContentType())
        {
            return TypedResults.Problem("The body must be application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        PublishRequest? request;
        try
        {
            // Read here rather than bound as a parameter: a body that binding refuses answers a bare 400.
            request = await context.Request.ReadFromJsonAsync<PublishRequest>(cancellationToken);
        }
        catch (JsonException exception)
        {
            var field = exception.Path is { Length: > 2 } path ? path[2..] : "body";
            var reason = exception.Message.Split(" Path:")[0].Split(" LineNumber:")[0];
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [field] = [$"{reason} (line {exception.LineNumber + 1}, position {exception.BytePositionInLine + 1})"],
            });
        }

        if (request is null || string.IsNullOrWhiteSpace(request.Type))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["type"] = ["The event type is required."] });
        }

        var webhookEvent = new WebhookEvent
        {
            Id = string.IsNullOrWhiteSpace(request.Id) ? $"evt_{Guid.NewGuid():N}" : request.Id,
            Type = request.Type,
            TenantId = context.Request.Headers[SampleApi.TenantHeader],
            Data = request.Data.ValueKind == JsonValueKind.Undefined ? "{}"u8.ToArray() : Encoding.UTF8.GetBytes(request.Data.GetRawText()),
        };
        try
        {
            // The checks publishing makes (id, type and tenant id lengths, control characters), answered as a problem.
            webhookEvent.Validate();
        }
        catch (ArgumentException exception)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["event"] = [exception.Message.Split(" (Parameter")[0]] });
        }

        try
        {
            var result = request.WebhookId is null
                ? await publisher.PublishAsync(webhookEvent, cancellationToken)
                : await publisher.PublishToAsync(request.WebhookId == "default" ? null : request.WebhookId, webhookEvent, cancellationToken);
            return TypedResults.Accepted((string?)null, result);
        }
        catch (WebhookNotFoundException exception)
        {
            return TypedResults.Problem(exception.Message, statusCode: StatusCodes.Status404NotFound);
        }
    }
}
