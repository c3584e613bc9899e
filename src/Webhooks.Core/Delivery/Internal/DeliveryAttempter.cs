using System.Diagnostics;

namespace Webhooks.Core.Internal;

/// <summary>Signs and sends one request to a webhook with its current URL, headers and secrets, and records the attempt.</summary>
/// <remarks>
/// An attempt is started (<see cref="Start"/>) and finished (<see cref="Finish"/>) by its caller around the transport's
/// answer, rather than wrapped in an async method of its own: one state machine less per delivery on the hot path.
/// </remarks>
internal sealed class DeliveryAttempter(IDeliveryTransport transport, IWebhookSigner signer, TimeProvider timeProvider, WebhooksTelemetry telemetry)
{
    /// <summary>Sends one attempt and records it.</summary>
    public async Task<(DeliveryAttempt Attempt, DeliveryResult Result)> SendAsync(
        WebhookConfig config, string messageId, ReadOnlyMemory<byte> payload, int number, CancellationToken cancellationToken)
    {
        var sending = Start(config, messageId, payload, number, cancellationToken, out var attempt);
        using var activity = attempt.Activity;
        DeliveryResult result;
        try
        {
            result = await sending.ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            result = Threw(attempt, ex);
        }
        catch (Exception ex)
        {
            Abandon(attempt, ex);
            throw;
        }

        return (Finish(attempt, result), result);
    }

    /// <summary>
    /// The answer of an attempt whose transport threw other than for the caller's cancellation (it broke its contract,
    /// which is to answer every endpoint behaviour with a result): a failure with the exception's message, as a network
    /// error is, so that the message is retried on schedule and the webhook's health counts it, rather than the attempt
    /// vanishing and its message being made again, unlogged, each time its lease lapses.
    /// </summary>
    public DeliveryResult Threw(in StartedAttempt attempt, Exception exception) => new()
    {
        Duration = timeProvider.GetUtcNow() - attempt.Timestamp,
        Error = TransportFailure(exception),
    };

    /// <summary>What a transport's exception is recorded as: its type and message.</summary>
    public static string TransportFailure(Exception exception) => $"The delivery transport failed: {exception.GetType().Name}: {exception.Message}";

    /// <summary>What a signer's exception is recorded as: its type and message.</summary>
    public static string SigningFailure(Exception exception) => $"Signing failed: {exception.GetType().Name}: {exception.Message}";

    /// <summary>
    /// Ends the activity of an attempt cancelled before an answer came (the dispatcher stopping, the caller giving up):
    /// no answer is recorded, and the activity says it failed rather than ending without a status.
    /// </summary>
    public static void Abandon(in StartedAttempt attempt, Exception exception)
    {
        if (attempt.Activity is { } activity)
        {
            activity.SetStatus(
                ActivityStatusCode.Error,
                exception is OperationCanceledException ? "The attempt was cancelled before an answer came." : exception.Message);
            activity.Dispose();
        }
    }

    /// <summary>
    /// Starts the delivery activity (made current, so the transport sends its trace context), signs the payload with
    /// every valid secret (a signer that throws fails the attempt, with nothing sent) and hands the request to the
    /// transport. The caller awaits the result and passes it to <see cref="Finish"/>, and disposes
    /// <see cref="StartedAttempt.Activity"/> in any case (a second stop does nothing), so that it ends when the send
    /// throws too.
    /// </summary>
    public ValueTask<DeliveryResult> Start(
        WebhookConfig config, string messageId, ReadOnlyMemory<byte> payload, int number, CancellationToken cancellationToken, out StartedAttempt attempt)
    {
        var now = timeProvider.GetUtcNow();
        var activity = WebhooksTelemetry.ActivitySource.StartActivity("webhook.deliver", ActivityKind.Client);
        activity?.SetTag("webhooks.webhook_id", config.Id);
        activity?.SetTag("webhooks.message_id", messageId);
        activity?.SetTag("webhooks.attempt", number);
        attempt = new StartedAttempt(number, now, config.Url, activity);

        var headers = new List<KeyValuePair<string, string>>(3 + config.Headers.Count);
        try
        {
            signer.AddSignatureHeaders(messageId, now, payload.Span, config.Secrets, headers);
        }
        catch (Exception ex)
        {
            // A signer that throws (a custom one whose key store failed) fails the attempt, nothing sent, as a transport
            // that throws does: retried on the schedule and counted, rather than given up unlogged until its lease lapses.
            return ValueTask.FromResult(new DeliveryResult { Error = SigningFailure(ex) });
        }

        AddCustomHeaders(config.Headers, headers);
        var request = new DeliveryRequest { WebhookId = config.Id, Url = config.Url, Body = payload, Headers = headers };
        try
        {
            return transport.SendAsync(request, cancellationToken);
        }
        catch (Exception ex)
        {
            // A transport that throws before its first await fails the attempt as one that throws later does.
            return ValueTask.FromException<DeliveryResult>(ex);
        }
    }

    /// <summary>
    /// Adds the webhook's own headers after the ones the library set (the signature's, a handshake's challenge), but for
    /// one named as those or as the trace context the transport adds (<c>traceparent</c>, <c>tracestate</c>): the
    /// validator refuses them, yet a webhook stored before its signer, the challenge header or those rules changed may
    /// hold one, and it would replace or double the library's header.
    /// </summary>
    internal static void AddCustomHeaders(IReadOnlyDictionary<string, string> custom, List<KeyValuePair<string, string>> headers)
    {
        if (custom.Count == 0)
        {
            return;
        }

        // Copied whole (a dictionary copies itself into the list, no enumerator), then the rare clash taken out again:
        // nothing is allocated per header or per delivery on the hot path.
        var signed = headers.Count;
        headers.AddRange(custom);
        for (var i = headers.Count - 1; i >= signed; i--)
        {
            var name = headers[i].Key;
            if (TraceContextPropagator.IsField(name))
            {
                headers.RemoveAt(i);
                continue;
            }

            for (var j = 0; j < signed; j++)
            {
                if (string.Equals(headers[j].Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    headers.RemoveAt(i);
                    break;
                }
            }
        }
    }

    /// <summary>What an attempt no answer came to is recorded as when its transport did not say why.</summary>
    private const string NoAnswer = "No answer came.";

    /// <summary>Records the transport's answer: telemetry, the activity's outcome, and the attempt as stored.</summary>
    public DeliveryAttempt Finish(in StartedAttempt attempt, DeliveryResult result)
    {
        var outcome = result.Succeeded ? "success" : "failure";
        if (attempt.Activity is { } activity)
        {
            activity.SetTag("http.response.status_code", result.StatusCode);
            if (!result.Succeeded)
            {
                activity.SetStatus(ActivityStatusCode.Error, result.Error);
            }

            activity.Dispose();
        }

        telemetry.Attempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        telemetry.AttemptDuration.Record(result.Duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));

        return new DeliveryAttempt
        {
            Number = attempt.Number,
            Timestamp = attempt.Timestamp,
            Url = attempt.Url,
            StatusCode = result.StatusCode,
            Duration = result.Duration,
            ResponseBody = result.ResponseBody,
            Error = result.Error ?? (result.Succeeded ? null : result.StatusCode is { } status ? $"The endpoint answered {status}." : NoAnswer),
        };
    }
}

/// <summary>An attempt handed to the transport: what <see cref="DeliveryAttempter.Finish"/> needs to record it.</summary>
internal readonly record struct StartedAttempt(int Number, DateTimeOffset Timestamp, string Url, Activity? Activity);
