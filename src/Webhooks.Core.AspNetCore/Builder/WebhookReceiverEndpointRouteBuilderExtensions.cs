using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Webhooks.Core.AspNetCore;
using Webhooks.Core.AspNetCore.Internal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps endpoints that receive Standard Webhooks deliveries.</summary>
public static class WebhookReceiverEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps a webhook receiver at <paramref name="pattern"/>. <c>POST</c> reads the raw body, verifies the Standard
    /// Webhooks signature and timestamp (401 problem when either is wrong, when no secret matches, or on a replay),
    /// then calls <paramref name="handler"/> with the event. <c>GET</c> answers the handshake challenge.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route pattern, for example <c>/hooks</c>.</param>
    /// <param name="configure">Sets the secrets, the tolerance and the handshake header.</param>
    /// <param name="handler">Handles a verified event, and may read the request body again; answer 2xx once it is safely processed.</param>
    /// <returns>The route group of the two endpoints, to add authorization, rate limiting or other conventions.</returns>
    public static RouteGroupBuilder MapWebhookReceiver(
        this IEndpointRouteBuilder endpoints,
        string pattern,
        Action<WebhookReceiverOptions> configure,
        Func<ReceivedWebhookEvent, HttpContext, Task<IResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(handler);
        var verifier = WebhookDeliveryVerifier.Create(pattern, WebhookDeliveryVerifier.ReadOptions(configure), endpoints.ServiceProvider);
        var receiver = new WebhookReceiverEndpoint(pattern, verifier, handler);

        var group = endpoints.MapGroup(pattern);
        // Typed as Func so that MapPost binds the returned IResult instead of taking the method as a RequestDelegate.
        group.MapPost("/", (Func<HttpContext, Task<IResult>>)receiver.ReceiveAsync)
            .WithName($"ReceiveWebhook {pattern}")
            .WithSummary("Receives a signed webhook delivery.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapGet("/", receiver.AnswerChallenge)
            .WithName($"AnswerWebhookChallenge {pattern}")
            .WithSummary("Answers a webhook handshake challenge.")
            .Produces<ChallengeResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status405MethodNotAllowed);
        return group;
    }
}
