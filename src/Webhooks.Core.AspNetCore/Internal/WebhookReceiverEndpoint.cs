using Microsoft.AspNetCore.Http;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>One receiver route: answers handshakes, verifies each delivery, then hands the handler the event.</summary>
internal sealed class WebhookReceiverEndpoint(
    string route,
    WebhookDeliveryVerifier verifier,
    Func<ReceivedWebhookEvent, HttpContext, Task<IResult>> handler)
{
    public IResult AnswerChallenge(HttpContext context)
    {
        var options = verifier.Options;
        if (!options.AnswerChallenges)
        {
            // Not "the header is missing": it may well be there. This receiver takes deliveries only.
            context.Response.Headers.Allow = HttpMethods.Post;
            return TypedResults.Problem(
                detail: "This receiver does not answer handshakes (AnswerChallenges is off); it accepts POST deliveries only.",
                statusCode: StatusCodes.Status405MethodNotAllowed,
                title: "Handshakes are not answered here.");
        }

        string? challenge = context.Request.Headers[options.ChallengeHeaderName];
        if (string.IsNullOrEmpty(challenge))
        {
            return ApiProblems.Validation(options.ChallengeHeaderName, "A handshake GET carries the challenge in this header.");
        }

        Log.ChallengeAnswered(verifier.Logger, route);
        return TypedResults.Json(new ChallengeResponse(challenge), WebhookApiJson.Options);
    }

    public async Task<IResult> ReceiveAsync(HttpContext context)
    {
        var (received, rejection) = await verifier.VerifyAsync(context).ConfigureAwait(false);
        if (rejection is not null)
        {
            return rejection;
        }

        try
        {
            return await handler(received!, context).ConfigureAwait(false);
        }
        catch
        {
            await verifier.ForgetAsync(context).ConfigureAwait(false);
            throw;
        }
    }
}
