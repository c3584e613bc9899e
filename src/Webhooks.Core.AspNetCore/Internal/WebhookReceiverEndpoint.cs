using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>
/// One receiver route: answers handshakes, verifies each delivery's signature on the raw body, its timestamp and
/// that it is not a replay, then hands the handler the event. Every rejection is a problem details answer.
/// </summary>
internal sealed class WebhookReceiverEndpoint
{
    private readonly WebhookReceiverOptions _options;
    private readonly Func<ReceivedWebhookEvent, HttpContext, Task<IResult>> _handler;
    private readonly TimeProvider _timeProvider;
    private readonly IWebhookReplayGuard _replays;
    private readonly ILogger _logger;
    private readonly string _route;

    public WebhookReceiverEndpoint(
        string route,
        WebhookReceiverOptions options,
        Func<ReceivedWebhookEvent, HttpContext, Task<IResult>> handler,
        IWebhookReplayGuard replays,
        TimeProvider timeProvider,
        ILogger logger)
    {
        _route = route;
        _options = options;
        _handler = handler;
        _timeProvider = timeProvider;
        _logger = logger;
        _replays = replays;
    }

    public IResult AnswerChallenge(HttpContext context)
    {
        string? challenge = context.Request.Headers[_options.ChallengeHeaderName];
        if (!_options.AnswerChallenges || string.IsNullOrEmpty(challenge))
        {
            return ApiProblems.Validation(_options.ChallengeHeaderName, "A handshake GET carries the challenge in this header.");
        }

        Log.ChallengeAnswered(_logger, _route);
        return TypedResults.Json(new ChallengeResponse(challenge), WebhookApiJson.Options);
    }

    public async Task<IResult> ReceiveAsync(HttpContext context)
    {
        var request = context.Request;
        if (await RawBody.ReadAsync(request, _options.MaxBodySize, context.RequestAborted).ConfigureAwait(false) is not { } body)
        {
            return TypedResults.Problem(
                detail: $"The body is larger than {_options.MaxBodySize} bytes.",
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Payload too large.");
        }

        string? id = request.Headers[StandardWebhooksHeaders.Id];
        string? timestamp = request.Headers[StandardWebhooksHeaders.Timestamp];
        string? signature = request.Headers[StandardWebhooksHeaders.Signature];
        var secrets = await SecretsAsync(context).ConfigureAwait(false);
        if (secrets.Count == 0)
        {
            Log.NoSecrets(_logger, _route);
            return Reject("The signature cannot be verified.");
        }

        var verifier = new StandardWebhooksVerifier(secrets, new SignatureVerificationOptions { Tolerance = _options.Tolerance }, _timeProvider);
        var result = verifier.Verify(id, timestamp, signature, body.Span);
        if (result != SignatureVerificationResult.Valid)
        {
            return Reject(Describe(result));
        }

        // A replay repeats id, timestamp and signature; a provider's retry is signed anew with a later timestamp.
        var signedAt = long.TryParse(timestamp, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : _timeProvider.GetUtcNow();
        // The route is part of the key: one shared guard may serve several receivers, each with its own senders.
        if (!await _replays.TryRecordAsync($"{_route}\n{id}\n{timestamp}", signedAt + _options.Tolerance, context.RequestAborted).ConfigureAwait(false))
        {
            return Reject("This delivery was received before (replay).");
        }

        if (ReceivedEventReader.Read(id!, signedAt, body, out var error) is not { } received)
        {
            return ApiProblems.Validation("body", error!);
        }

        return await _handler(received, context).ConfigureAwait(false);
    }

    private async ValueTask<IReadOnlyList<string>> SecretsAsync(HttpContext context)
    {
        var secrets = new List<string>(_options.Secrets.Where(static s => !string.IsNullOrWhiteSpace(s)));
        if (_options.SecretResolver is { } resolver)
        {
            secrets.AddRange((await resolver(context).ConfigureAwait(false)).Where(static s => !string.IsNullOrWhiteSpace(s)));
        }

        return secrets;
    }

    private IResult Reject(string reason)
    {
        Log.DeliveryRejected(_logger, _route, reason);
        return TypedResults.Problem(detail: reason, statusCode: StatusCodes.Status401Unauthorized, title: "The webhook signature is not valid.");
    }

    private string Describe(SignatureVerificationResult result) => result switch
    {
        SignatureVerificationResult.MissingHeaders =>
            $"The {StandardWebhooksHeaders.Id}, {StandardWebhooksHeaders.Timestamp} and {StandardWebhooksHeaders.Signature} headers are required.",
        SignatureVerificationResult.InvalidTimestamp => $"The {StandardWebhooksHeaders.Timestamp} header is not Unix seconds.",
        SignatureVerificationResult.TimestampTooOld => $"The {StandardWebhooksHeaders.Timestamp} is older than the {_options.Tolerance} tolerance.",
        SignatureVerificationResult.TimestampInFuture => $"The {StandardWebhooksHeaders.Timestamp} is further ahead than the {_options.Tolerance} tolerance.",
        _ => $"No {StandardWebhooksHeaders.Signature} matches the body.",
    };
}
