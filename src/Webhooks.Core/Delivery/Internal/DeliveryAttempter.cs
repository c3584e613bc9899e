using System.Diagnostics;

namespace Webhooks.Core.Internal;

/// <summary>Signs and sends one request to a webhook with its current URL, headers and secrets, and records the attempt.</summary>
internal sealed class DeliveryAttempter(IDeliveryTransport transport, IWebhookSigner signer, TimeProvider timeProvider, WebhooksTelemetry telemetry)
{
    public async Task<(DeliveryAttempt Attempt, DeliveryResult Result)> SendAsync(
        WebhookConfig config, string messageId, ReadOnlyMemory<byte> payload, int number, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var headers = new List<KeyValuePair<string, string>>(3 + config.Headers.Count);
        signer.AddSignatureHeaders(messageId, now, payload.Span, config.Secrets, headers);
        headers.AddRange(config.Headers);

        using var activity = WebhooksTelemetry.ActivitySource.StartActivity("webhook.deliver", ActivityKind.Client);
        activity?.SetTag("webhooks.webhook_id", config.Id);
        activity?.SetTag("webhooks.message_id", messageId);
        activity?.SetTag("webhooks.attempt", number);

        var request = new DeliveryRequest { WebhookId = config.Id, Url = config.Url, Body = payload, Headers = headers };
        var result = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);

        var outcome = result.Succeeded ? "success" : "failure";
        activity?.SetTag("http.response.status_code", result.StatusCode);
        if (!result.Succeeded)
        {
            activity?.SetStatus(ActivityStatusCode.Error, result.Error);
        }

        telemetry.Attempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        telemetry.AttemptDuration.Record(result.Duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));

        var attempt = new DeliveryAttempt
        {
            Number = number,
            Timestamp = now,
            Url = config.Url,
            StatusCode = result.StatusCode,
            Duration = result.Duration,
            ResponseBody = result.ResponseBody,
            Error = result.Error ?? (result.Succeeded ? null : $"The endpoint answered {result.StatusCode}."),
        };
        return (attempt, result);
    }
}
