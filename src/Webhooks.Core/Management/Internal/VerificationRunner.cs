using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Webhooks.Core.Internal;

/// <summary>
/// Verifies webhooks: the Challenge handshake (a GET echoing a random challenge) or a signed test event.
/// <see cref="Queue"/> runs verification in the background (creation, enabling, URL change); <see cref="VerifyAsync"/> runs it now.
/// </summary>
internal sealed class VerificationRunner(
    IWebhookStore store,
    IDeliveryTransport transport,
    DeliveryAttempter attempter,
    WebhookStateChanges states,
    IOptions<WebhooksOptions> options,
    TimeProvider timeProvider)
{
    public const string TestEventType = "webhook.test";

    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = false });

    // The webhooks with a verification queued or running in this process.
    private readonly ConcurrentDictionary<string, byte> _pending = new(StringComparer.Ordinal);

    internal ChannelReader<string> Queued => _queue.Reader;

    /// <summary>Queues a verification of a webhook that was just created or changed.</summary>
    public void Queue(string webhookId)
    {
        _pending[webhookId] = 0;
        _queue.Writer.TryWrite(webhookId);
    }

    /// <summary>Queues a verification unless one of the webhook is queued or running here already.</summary>
    /// <returns><see langword="true"/> when it was queued.</returns>
    public bool QueueUnlessPending(string webhookId)
    {
        if (!_pending.TryAdd(webhookId, 0))
        {
            return false;
        }

        _queue.Writer.TryWrite(webhookId);
        return true;
    }

    /// <summary>Runs a queued verification.</summary>
    public async Task RunQueuedAsync(string webhookId, CancellationToken cancellationToken)
    {
        try
        {
            await VerifyAsync(webhookId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(webhookId, out _);
        }
    }

    /// <summary>Verifies a Pending webhook and stores the result.</summary>
    /// <returns>The webhook afterwards, or <see langword="null"/> when it no longer exists.</returns>
    public async Task<WebhookConfig?> VerifyAsync(string webhookId, CancellationToken cancellationToken)
    {
        var config = await store.GetConfigAsync(webhookId, cancellationToken).ConfigureAwait(false);
        if (config is not { State: WebhookState.Enabled, Status: WebhookStatus.Pending })
        {
            return config;
        }

        var (accepted, reason) = config.VerificationMode == VerificationMode.Challenge
            ? await ChallengeAsync(config, cancellationToken).ConfigureAwait(false)
            : await SendTestEventAsync(config, cancellationToken).ConfigureAwait(false);

        // Apply the result only to the webhook that was verified: not if it was disabled, re-targeted (URL or headers) or
        // set to another mode meanwhile, or deleted and created again with its id (by another tenant, perhaps); the
        // verification its change queued decides.
        return await states.ApplyAsync(
            webhookId,
            current => current is { State: WebhookState.Enabled, Status: WebhookStatus.Pending }
                && current.IsSameWebhookAs(config)
                && current.HasSameTargetAs(config) && current.VerificationMode == config.VerificationMode
                ? accepted ? states.Machine.VerificationSucceeded(current) : states.Machine.VerificationFailed(current, reason)
                : null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How much of a handshake's answer is read: whatever the delivery log keeps, the answer is judged whole.</summary>
    internal const int HandshakeBodyLimit = 64 * 1024;

    /// <summary>
    /// Sends the handshake. A refusal has no reason of its own: the state machine words it ("Incorrect handshake response."),
    /// but for a transport that threw, whose failure is the reason.
    /// </summary>
    private async Task<(bool Accepted, string? Reason)> ChallengeAsync(WebhookConfig config, CancellationToken cancellationToken)
    {
        var challenge = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var headers = new List<KeyValuePair<string, string>>(config.Headers.Count + 1)
        {
            new(options.Value.ChallengeHeaderName, challenge),
        };
        DeliveryAttempter.AddCustomHeaders(config.Headers, headers);
        var request = new DeliveryRequest
        {
            WebhookId = config.Id,
            Url = config.Url,
            Method = HttpMethod.Get,
            Headers = headers,
            ResponseBodyLimit = HandshakeBodyLimit,
        };

        // Current while it is sent, so that the transport sends its trace context, as deliveries do.
        using var activity = WebhooksTelemetry.ActivitySource.StartActivity("webhook.verify", ActivityKind.Client);
        activity?.SetTag("webhooks.webhook_id", config.Id);
        activity?.SetTag("webhooks.verification_mode", "challenge");
        DeliveryResult result;
        try
        {
            result = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A transport that breaks its contract refuses the handshake, rather than leaving the webhook Pending.
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            return (false, DeliveryAttempter.TransportFailure(ex));
        }
        catch
        {
            // Cancelled before an answer came (the host stopping): the activity says so rather than ending without a status.
            activity?.SetStatus(ActivityStatusCode.Error, "The handshake was cancelled before an answer came.");
            throw;
        }

        var accepted = result.StatusCode == 200 && EchoesChallenge(result.ResponseBody, challenge);
        activity?.SetTag("http.response.status_code", result.StatusCode);
        if (!accepted)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "Incorrect handshake response.");
        }

        return (accepted, null);
    }

    private static bool EchoesChallenge(string? body, string challenge)
    {
        if (string.IsNullOrEmpty(body))
        {
            return false;
        }

        try
        {
            // A byte order mark some servers start a UTF-8 body with is not part of the JSON.
            using var document = JsonDocument.Parse(body.AsMemory(body[0] == '\uFEFF' ? 1 : 0));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("verification", out var echoed)
                && echoed.ValueKind == JsonValueKind.String
                && echoed.ValueEquals(challenge);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Sends a signed <c>webhook.test</c> event; a 2xx answer accepts it.</summary>
    private async Task<(bool Accepted, string? Reason)> SendTestEventAsync(WebhookConfig config, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var data = JsonSerializer.SerializeToUtf8Bytes(new TestEventData(config.Id), TestEventJsonContext.Default.TestEventData);
        var payload = WebhookPayload.Create(TestEventType, now, data, dataIsJson: true);
        var (attempt, result) = await attempter.SendAsync(config, Ids.NewMessageId(now), payload, 1, cancellationToken).ConfigureAwait(false);
        return (result.Succeeded, result.Succeeded ? null : $"Test event was not accepted: {attempt.Error}");
    }
}
