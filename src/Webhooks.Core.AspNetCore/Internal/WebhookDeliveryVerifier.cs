using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>
/// Verifies one delivery request: its raw body within the size limit, the Standard Webhooks signature and timestamp,
/// and that it is not a replay; then reads the event. Every rejection is a problem details answer.
/// </summary>
internal sealed class WebhookDeliveryVerifier(
    string route, WebhookReceiverOptions options, ReplayProtection replayProtection, IWebhookReplayGuard replays, TimeProvider timeProvider, ILogger logger)
{
    public WebhookReceiverOptions Options => options;

    public ILogger Logger => logger;

    // The replay keys this request recorded and their guards, for ForgetAsync.
    private static readonly object RecordedKeys = new();

    private static readonly long UnixSecondsMin = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long UnixSecondsMax = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>Makes and checks the options.</summary>
    /// <param name="configure">Sets the options.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    /// <exception cref="ArgumentException">The challenge header name is empty.</exception>
    public static WebhookReceiverOptions ReadOptions(Action<WebhookReceiverOptions> configure)
    {
        var options = new WebhookReceiverOptions();
        configure(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Tolerance, TimeSpan.Zero, "options.Tolerance");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ReplayCacheSize, 1, "options.ReplayCacheSize");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBodySize, 1, "options.MaxBodySize");
        // The body is checked in one buffer; a larger limit (meant as "none") would fail a large delivery with a bare 500.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxBodySize, Array.MaxLength, "options.MaxBodySize");
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ChallengeHeaderName, "options.ChallengeHeaderName");
        for (var i = 0; i < options.Secrets.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(options.Secrets[i]) && !IsSecret(options.Secrets[i]))
            {
                throw new ArgumentException(
                    $"options.Secrets[{i}] is not a signing secret: expected 'whsec_' and the base64 of at least {MinKeyBytes} bytes, as the webhook's provider shows it.", "options.Secrets");
            }
        }

        return options;
    }

    /// <summary>The shortest key a receiver accepts, in bytes: a key anyone can guess (an empty <c>whsec_</c>) signs for anyone.</summary>
    internal const int MinKeyBytes = 16;

    private static bool IsSecret(string secret)
    {
        try
        {
            return WebhookSecret.DecodeKey(secret).Length >= MinKeyBytes;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Takes the clock, the logger and the replay guard from the services.</summary>
    /// <param name="route">The route, for logs.</param>
    /// <param name="options">The options, checked by <see cref="ReadOptions"/>.</param>
    /// <param name="services">The application's services.</param>
    public static WebhookDeliveryVerifier Create(string route, WebhookReceiverOptions options, IServiceProvider services)
    {
        var replayProtection = ReplayProtection.For(services);
        return new WebhookDeliveryVerifier(
            route,
            options,
            replayProtection,
            replayProtection.Join(options, services),
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetService<ILoggerFactory>()?.CreateLogger("Webhooks.Core.AspNetCore.Receiver") ?? NullLogger.Instance);
    }

    /// <summary>Reads and verifies the delivery.</summary>
    /// <returns>The event, or the answer that rejects the request.</returns>
    public async Task<(ReceivedWebhookEvent? Event, IResult? Rejection)> VerifyAsync(HttpContext context)
    {
        var (body, rejection) = await ReadBodyAsync(context).ConfigureAwait(false);
        return rejection is null ? await VerifyAsync(context, body).ConfigureAwait(false) : (null, rejection);
    }

    /// <summary>Reads the raw body, up to the size limit.</summary>
    /// <returns>The body, or the 413 answer.</returns>
    public async Task<(ReadOnlyMemory<byte> Body, IResult? Rejection)> ReadBodyAsync(HttpContext context)
    {
        // The option is the limit, also above the server's own (Kestrel's 30 MB): raised while it still can be.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit
            && serverLimit.MaxRequestBodySize is { } limit && limit < options.MaxBodySize)
        {
            serverLimit.MaxRequestBodySize = options.MaxBodySize;
        }

        return await RawBody.ReadAsync(context.Request, options.MaxBodySize, context.RequestAborted).ConfigureAwait(false) is { } body
            ? (body, null)
            : (default, TypedResults.Problem(
                detail: $"The body is larger than {options.MaxBodySize} bytes.",
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Payload too large."));
    }

    /// <summary>Verifies a delivery whose body was read; once it is accepted, the request's body reads those bytes again.</summary>
    /// <returns>The event, or the answer that rejects the request.</returns>
    public async Task<(ReceivedWebhookEvent? Event, IResult? Rejection)> VerifyAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        var request = context.Request;
        string? id = request.Headers[StandardWebhooksHeaders.Id];
        string? timestamp = request.Headers[StandardWebhooksHeaders.Timestamp];
        // Signatures are space-separated; a proxy may pass them on as several header fields, which join the same way.
        var signatureFields = request.Headers[StandardWebhooksHeaders.Signature];
        string? signature = signatureFields.Count > 1 ? string.Join(' ', signatureFields.ToArray()) : signatureFields;
        var secrets = await SecretsAsync(context).ConfigureAwait(false);
        if (secrets.Count == 0)
        {
            Log.NoSecrets(logger, route);
            return (null, Reject("The signature cannot be verified."));
        }

        StandardWebhooksVerifier verifier;
        try
        {
            verifier = new StandardWebhooksVerifier(secrets, new SignatureVerificationOptions { Tolerance = options.Tolerance }, timeProvider);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException && MalformedSecretSource(secrets) is { } source)
        {
            Log.InvalidSecret(logger, route, source);
            return (null, TypedResults.Problem(
                detail: $"A signing secret from {source} is not a signing secret: expected 'whsec_' and the base64 of at least {MinKeyBytes} bytes.",
                statusCode: StatusCodes.Status500InternalServerError,
                title: "The webhook endpoint is misconfigured."));
        }

        var result = verifier.Verify(id, timestamp, signature, body.Span);
        if (result != SignatureVerificationResult.Valid)
        {
            return (null, Reject(result == SignatureVerificationResult.MissingHeaders ? DescribeMissing(id, timestamp, signature) : Describe(result)));
        }

        // A replay repeats id, timestamp and signature; a provider's retry is signed anew with a later timestamp. A
        // timestamp past the calendar passed only a tolerance as long as TimeSpan allows ("any"): it is remembered as long.
        var signedAt = long.TryParse(timestamp, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var seconds)
            && seconds >= UnixSecondsMin && seconds <= UnixSecondsMax
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : DateTimeOffset.MaxValue;

        // No route in the key: the signature does not cover the URL, so a delivery one route accepted is a replay to any
        // other with the same secret, and it is remembered as long as the most tolerant of them would accept it. The check
        // reads the clock in whole seconds, so it accepts the timestamp until a second past the tolerance: remembered for
        // less, it could be replayed then. See ReplayKey for what tells two senders' deliveries apart.
        var tolerance = replayProtection.LongestTolerance;
        var remembered = tolerance < TimeSpan.MaxValue - TimeSpan.FromSeconds(1) ? tolerance + TimeSpan.FromSeconds(1) : TimeSpan.MaxValue;
        var acceptedUntil = DateTimeOffset.MaxValue - signedAt > remembered ? signedAt + remembered : DateTimeOffset.MaxValue;
        var key = ReplayKey(id!, timestamp!, body.Span);
        var recorded = context.Items[RecordedKeys] as List<(IWebhookReplayGuard Guard, string Key)>;
        // A request checked twice (by its group and by its endpoint) is one delivery: the second check finds the key the
        // first one recorded for this very request, which is no replay.
        if (recorded?.Contains((replays, key)) != true)
        {
            if (!await replays.TryRecordAsync(key, acceptedUntil, context.RequestAborted).ConfigureAwait(false))
            {
                return (null, Reject("This delivery was received before (replay)."));
            }

            // A delivery the handler does not accept (it answers other than 2xx, or throws: see ForgetAsync) is forgotten
            // before the answer goes out: the provider's retry may follow within the same second, with the same
            // timestamp, and must not look like a replay.
            if (recorded is null)
            {
                context.Items[RecordedKeys] = recorded = [];
                context.Response.OnStarting(ForgetUnlessAccepted, (this, context));
            }

            recorded.Add((replays, key));
        }

        if (ReceivedEventReader.Read(id!, signedAt, body, options.RequireEvent, out var error) is not { } received)
        {
            return (null, ApiProblems.Validation("body", error!));
        }

        // The handler may read the body again: it gets the bytes that were checked.
        request.Body = MemoryMarshal.TryGetArray(body, out var bytes)
            ? new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);
        return (received, null);
    }

    /// <summary>
    /// The delivery's identity in the guard: <c>webhook-id</c>, <c>webhook-timestamp</c> and the SHA-256 of the body, which
    /// is all the signature covers and all a replay repeats. Not the signature, nor which secret matched: a provider in a
    /// rotation signs with two secrets, and a replay keeping just the other signature would pass for a new delivery. Two
    /// unrelated senders whose ids collide in the same second still differ by their bodies.
    /// </summary>
    private static string ReplayKey(string id, string timestamp, ReadOnlySpan<byte> body)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, digest);
        return $"{id}\n{timestamp}\n{Convert.ToBase64String(digest)}";
    }

    private static Task ForgetUnlessAccepted(object state)
    {
        var (verifier, context) = ((WebhookDeliveryVerifier, HttpContext))state;
        return context.Response.StatusCode is >= 200 and < 300 ? Task.CompletedTask : verifier.ForgetAsync(context);
    }

    /// <summary>
    /// Forgets the delivery this request recorded, so that the provider's retry is accepted: for an answer other than
    /// 2xx, and for a handler that threw (the server answers 500 itself then, without the response's callbacks).
    /// </summary>
    public async Task ForgetAsync(HttpContext context)
    {
        if (context.Items[RecordedKeys] is not List<(IWebhookReplayGuard Guard, string Key)> recorded)
        {
            return;
        }

        context.Items.Remove(RecordedKeys);
        foreach (var (guard, key) in recorded)
        {
            try
            {
                await guard.ForgetAsync(key, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The answer goes out anyway: the provider's retry is refused as a replay until its timestamp moves on.
                Log.ReplayForgetFailed(logger, ex, route);
            }
        }
    }

    /// <summary>
    /// Names the option a secret that is not a signing secret came from, or <see langword="null"/> when all are. The
    /// configured ones were checked when the endpoint was mapped, but the list is read on every request and may have
    /// changed since; the resolver's are checked only here.
    /// </summary>
    private string? MalformedSecretSource(IReadOnlyList<string> secrets) =>
        options.Secrets.Any(static secret => !string.IsNullOrWhiteSpace(secret) && !IsSecret(secret)) ? nameof(options.Secrets)
        : secrets.Any(static secret => !IsSecret(secret)) ? nameof(options.SecretResolver)
        : null;

    private async ValueTask<IReadOnlyList<string>> SecretsAsync(HttpContext context)
    {
        var secrets = new List<string>(options.Secrets.Where(static s => !string.IsNullOrWhiteSpace(s)));
        if (options.SecretResolver is { } resolver)
        {
            // A resolver with nothing for this request (an unknown tenant) may answer null: no secrets, so 401, not a crash.
            var resolved = await resolver(context).ConfigureAwait(false);
            if (resolved is not null)
            {
                secrets.AddRange(resolved.Where(static s => !string.IsNullOrWhiteSpace(s)));
            }
        }

        return secrets;
    }

    private IResult Reject(string reason)
    {
        Log.DeliveryRejected(logger, route, reason);
        return TypedResults.Problem(detail: reason, statusCode: StatusCodes.Status401Unauthorized, title: "The webhook signature is not valid.");
    }

    private const string RequiredHeaders =
        $"The {StandardWebhooksHeaders.Id}, {StandardWebhooksHeaders.Timestamp} and {StandardWebhooksHeaders.Signature} headers are required.";

    /// <summary>Names the signature headers a request lacks (or sent empty), unless it lacks all three: it is then no delivery.</summary>
    private static string DescribeMissing(string? id, string? timestamp, string? signature)
    {
        var missing = new List<string>(3);
        foreach (var (name, value) in new[] { (StandardWebhooksHeaders.Id, id), (StandardWebhooksHeaders.Timestamp, timestamp), (StandardWebhooksHeaders.Signature, signature) })
        {
            if (string.IsNullOrEmpty(value))
            {
                missing.Add(name);
            }
        }

        return missing.Count switch
        {
            3 => RequiredHeaders,
            1 => $"The {missing[0]} header is missing or empty. {RequiredHeaders}",
            _ => $"The {missing[0]} and {missing[1]} headers are missing or empty. {RequiredHeaders}",
        };
    }

    private string Describe(SignatureVerificationResult result) => result switch
    {
        SignatureVerificationResult.InvalidTimestamp => $"The {StandardWebhooksHeaders.Timestamp} header is not Unix seconds.",
        SignatureVerificationResult.TimestampTooOld => $"The {StandardWebhooksHeaders.Timestamp} is older than the {options.Tolerance} tolerance.",
        SignatureVerificationResult.TimestampInFuture => $"The {StandardWebhooksHeaders.Timestamp} is further ahead than the {options.Tolerance} tolerance.",
        _ => $"No {StandardWebhooksHeaders.Signature} matches the body.",
    };
}
