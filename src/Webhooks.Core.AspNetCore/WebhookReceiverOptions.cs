using Microsoft.AspNetCore.Http;

namespace Webhooks.Core.AspNetCore;

/// <summary>Configures an endpoint mapped by <c>MapWebhookReceiver</c> that receives Standard Webhooks deliveries.</summary>
public sealed class WebhookReceiverOptions
{
    /// <summary>
    /// Gets the secrets (<c>whsec_</c> followed by base64) a delivery may be signed with; during a rotation, hold the
    /// old and the new one. The list is read on every request, without a lock: a list changed while requests run may
    /// fail them, so secrets that change at run time belong in <see cref="SecretResolver"/>. The default value is empty.
    /// </summary>
    public IList<string> Secrets { get; } = [];

    /// <summary>
    /// Gets or sets a function returning more secrets for a request, for example from configuration that reloads or
    /// from the tenant in the route. Its secrets are used together with <see cref="Secrets"/>.
    /// The default value is <see langword="null"/>.
    /// </summary>
    public Func<HttpContext, ValueTask<IReadOnlyList<string>>>? SecretResolver { get; set; }

    /// <summary>
    /// Gets or sets how far the signed <c>webhook-timestamp</c> may be from this host's clock, either way; older or
    /// newer deliveries answer 401. The default value is 5 minutes.
    /// </summary>
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets the header of the handshake a provider sends with <c>GET</c>; the answer is
    /// <c>{"verification": "&lt;challenge&gt;"}</c>. Use <c>x-compute-ops-mgmt-verification-challenge</c> for HPE
    /// Compute Ops Management. The default value is <c>webhook-verification-challenge</c>.
    /// </summary>
    public string ChallengeHeaderName { get; set; } = "webhook-verification-challenge";

    /// <summary>
    /// Gets or sets a value indicating whether <c>GET</c> handshakes are answered; when not, a <c>GET</c> answers a 405 problem.
    /// The default value is <see langword="true"/>.
    /// </summary>
    public bool AnswerChallenges { get; set; } = true;

    /// <summary>
    /// Gets or sets how many received deliveries (<c>webhook-id</c>, <c>webhook-timestamp</c> and a digest of the body)
    /// the guard in this process remembers to reject a replay while its timestamp is still within the tolerance (unused
    /// with <see cref="ReplayGuard"/>). The guard is one for every receiver of the application, so that a delivery
    /// replayed to another route is refused too, and holds the largest size any of them asks for. When full, the entry
    /// closest to expiry is forgotten first. The default value is 100,000.
    /// </summary>
    public int ReplayCacheSize { get; set; } = 100_000;

    /// <summary>
    /// Gets or sets the guard that remembers received deliveries, to share one between the instances of a receiver.
    /// When <see langword="null"/>, an <see cref="IWebhookReplayGuard"/> registered as a service is used, and without
    /// one, a guard in this process holding <see cref="ReplayCacheSize"/> deliveries. The default value is <see langword="null"/>.
    /// </summary>
    public IWebhookReplayGuard? ReplayGuard { get; set; }

    /// <summary>
    /// Gets or sets the largest body accepted, in bytes; larger ones answer 413. The body is checked in one buffer, so at
    /// most <see cref="Array.MaxLength"/> (just under 2 GiB). The default value is 1 MiB.
    /// </summary>
    public long MaxBodySize { get; set; } = 1024 * 1024;

    /// <summary>
    /// Gets or sets a value indicating whether an authentic delivery must be an event: a JSON object with a string
    /// <c>type</c> (and <c>timestamp</c> and <c>data</c>), as this library and the Standard Webhooks payload structure
    /// send it. One that is not answers a 400 problem naming the body, which the provider retries. The Standard Webhooks
    /// specification leaves the payload to the provider: set this to <see langword="false"/> to take any authentic body.
    /// The handler then gets, for a body that is not an event, an empty <see cref="ReceivedWebhookEvent.Type"/>, the
    /// whole body as <see cref="ReceivedWebhookEvent.Data"/> when it is JSON (undefined otherwise), and always the raw
    /// <see cref="ReceivedWebhookEvent.Body"/>. The default value is <see langword="true"/>.
    /// </summary>
    public bool RequireEvent { get; set; } = true;
}
