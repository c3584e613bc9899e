using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace Webhooks.Core.Internal;

/// <summary>
/// Sends deliveries (POST) and handshakes (GET) through the handlers of the named client <see cref="ClientName"/>. Every
/// endpoint behaviour, from an error status to a timeout or a refused address, ends up in the <see cref="DeliveryResult"/>;
/// only the caller's cancellation throws.
/// </summary>
internal sealed class HttpDeliveryTransport : IDeliveryTransport
{
    /// <summary>The name of the client whose handlers the transport asks <see cref="IHttpMessageHandlerFactory"/> for.</summary>
    public const string ClientName = "Webhooks.Core";

    // The handlers are kept rather than taken per request, and taken again from the factory now and then so that a
    // handler lifetime the host configures for the named client still applies.
    private static readonly TimeSpan HandlerRefreshInterval = TimeSpan.FromSeconds(30);

    private readonly IHttpMessageHandlerFactory _handlerFactory;
    private readonly HttpDeliveryOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly string _timedOut;

    // A webhook's URL is the same string on every attempt, so it is parsed once per string rather than per request;
    // the entry goes when the string does (a config replaced, a webhook deleted).
    private readonly ConditionalWeakTable<string, Uri> _uris = [];

    // Attempts' timeout sources, reset and used again rather than made per request: a source, its timer and the
    // registrations the handlers make on it cost about 400 bytes and a timer of its own each. As many as attempts ran at once.
    private readonly ConcurrentBag<CancellationTokenSource> _timeouts = [];

    // The handlers are called through an invoker rather than an HttpClient: the transport times and cancels each attempt
    // itself, so the client's own timeout, its link of the caller's token with its pending requests (a linked source per
    // request) and its async wrapper (about 400 bytes per request together) would do nothing but cost.
    private HttpMessageInvoker? _invoker;
    private long _invokerTakenAt;

    public HttpDeliveryTransport(IHttpMessageHandlerFactory handlerFactory, IOptions<WebhooksOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(handlerFactory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _handlerFactory = handlerFactory;
        _options = options.Value.Http;
        _timeProvider = timeProvider;
        _timedOut = $"Timed out after {_options.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s.";
    }

    /// <inheritdoc/>
    // Pooled: a worker that finishes an attempt starts the next on the same thread, which takes the state machine back.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<DeliveryResult> SendAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var started = _timeProvider.GetTimestamp();

        // One timer-driven source for the attempt, cancelled by the caller too: cheaper than a linked pair. Given back
        // after the caller's registration is undone (disposed in reverse order).
        using var timeout = RentTimeout(started);
        var attempt = timeout.Source;
        using var callerRegistration = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), attempt);
        try
        {
            using var message = CreateMessage(request);
            using var response = await Invoker(started)
                .SendAsync(message, attempt.Token)
                .ConfigureAwait(false);
            string body;
            string? error = null;
            try
            {
                body = await ResponseBodyReader.ReadAsync(response, request.ResponseBodyLimit ?? _options.ResponseBodyLimit, attempt.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The endpoint did answer; keep its status and say why the body is missing.
                body = string.Empty;
                error = "Reading the response body failed: " + (attempt.IsCancellationRequested ? _timedOut : Describe(exception));
            }

            var status = (int)response.StatusCode;
            return new DeliveryResult
            {
                StatusCode = status,
                Duration = _timeProvider.GetElapsedTime(started),
                ResponseBody = body,
                Error = error ?? (status is >= 300 and < 400 ? NotFollowed(status, response.Headers.Location) : null),
                RetryAfter = ReadRetryAfter(response),
            };
        }
        catch (Exception exception) when (cancellationToken.IsCancellationRequested)
        {
            // Whatever the cancellation interrupted, the caller sees its own token in the exception.
            throw new OperationCanceledException("The delivery was cancelled.", exception, cancellationToken);
        }
        catch (Exception exception)
        {
            var error = attempt.IsCancellationRequested ? _timedOut : Describe(exception);
            return new DeliveryResult { Duration = _timeProvider.GetElapsedTime(started), Error = error };
        }
    }

    /// <summary>Takes a kept source for an attempt's timeout, or makes one, and sets its timer.</summary>
    private PooledTimeout RentTimeout(long started)
    {
        if (!_timeouts.TryTake(out var source))
        {
            source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _timeProvider);
        }

        source.CancelAfter(_options.Timeout);
        return new PooledTimeout(this, source, started);
    }

    /// <summary>
    /// Keeps an attempt's timeout source for the next attempt when its attempt ended within half the timeout (its timer
    /// far from firing, so it cannot cancel the next attempt) and it resets; disposes it otherwise.
    /// </summary>
    internal void ReturnTimeout(CancellationTokenSource source, long started)
    {
        if (_timeProvider.GetElapsedTime(started) < _options.Timeout / 2 && source.TryReset())
        {
            _timeouts.Add(source);
        }
        else
        {
            source.Dispose();
        }
    }

    private HttpMessageInvoker Invoker(long now)
    {
        var invoker = Volatile.Read(ref _invoker);
        if (invoker is null || _timeProvider.GetElapsedTime(Volatile.Read(ref _invokerTakenAt), now) >= HandlerRefreshInterval)
        {
            // Racing threads may each take one; any of them is fine. The factory owns the handlers, and disposes them
            // when their lifetime is over and no invoker holds them.
            invoker = new HttpMessageInvoker(_handlerFactory.CreateHandler(ClientName), disposeHandler: false);
            Volatile.Write(ref _invokerTakenAt, now);
            Volatile.Write(ref _invoker, invoker);
        }

        return invoker;
    }

    private HttpRequestMessage CreateMessage(DeliveryRequest request)
    {
        // HTTP/1.1 only: HTTP/3 runs over QUIC, which bypasses the ConnectCallback that enforces the address guard.
        var message = new HttpRequestMessage(request.Method, _uris.GetOrAdd(request.Url, static url => new Uri(url, UriKind.RelativeOrAbsolute)))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (!request.Body.IsEmpty)
        {
            message.Content = new ReadOnlyMemoryContent(request.Body);
            message.Content.Headers.TryAddWithoutValidation("content-type", "application/json");
        }

        message.Headers.TryAddWithoutValidation("user-agent", _options.UserAgent);
        // By index: a foreach over the interface would box its enumerator on every request.
        var headers = request.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            var (name, value) = headers[i];
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                // .NET files some names (Content-Language, Expires, Allow) under the body's headers: a request without a
                // body (the handshake GET) gets an empty one to carry them, sent as Content-Length: 0.
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    private TimeSpan? ReadRetryAfter(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable))
        {
            return null;
        }

        if (response.Headers.RetryAfter is not { } retryAfter)
        {
            return ReadOverlongDelay(response);
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta;
        }

        if (retryAfter.Date is { } date)
        {
            var delay = date - _timeProvider.GetUtcNow();
            return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
        }

        return null;
    }

    // delay-seconds is 1*DIGIT without a bound (RFC 9110, 10.2.3), but the parser takes at most 10 digits, leading zeros
    // included: "00000000005" fails it, yet asks for 5 s. What it refuses is read here; a value past 2^31 seconds is read
    // as 2^31, as RFC 9111 (1.2.2) says of delta-seconds, and the retry schedule caps it.
    private static TimeSpan? ReadOverlongDelay(HttpResponseMessage response)
    {
        const long MaxDeltaSeconds = 2147483648;
        if (!response.Headers.NonValidated.TryGetValues("Retry-After", out var values) || values.Count != 1)
        {
            return null;
        }

        var text = values.ToString().AsSpan().Trim(" \t");
        if (text.Length == 0 || text.ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        var digits = text.TrimStart('0');
        return TimeSpan.FromSeconds(digits.Length > 10 ? MaxDeltaSeconds : Math.Min(MaxDeltaSeconds, digits.IsEmpty ? 0 : long.Parse(digits, provider: System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// Why a redirect failed the attempt, and what to do: the library does not follow one (the endpoint registered is the
    /// one signed for, and a redirect could lead past the SSRF guard), so the webhook's URL must be changed.
    /// </summary>
    private static string NotFollowed(int status, Uri? location)
    {
        const int MaxLocation = 200;
        if (location?.OriginalString is not { Length: > 0 } text)
        {
            // 304 Not Modified, or a 300 listing choices: nowhere to point the webhook to.
            return $"The endpoint answered {status}, a 3xx answer with no Location: only a 2xx answer delivers, and redirects are not followed.";
        }

        var to = text.Length > MaxLocation ? string.Concat(text.AsSpan(0, MaxLocation), "...") : text;
        return $"The endpoint answered {status}, a redirect to {to}, which is not followed: change the webhook's URL to where it points.";
    }

    private static string Describe(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is NonPublicAddressException refused)
            {
                return refused.Message;
            }
        }

        // "An error occurred while sending the request." says little; the root cause says what happened.
        var cause = exception.GetBaseException();
        return cause == exception || exception.Message.Contains(cause.Message, StringComparison.Ordinal)
            ? exception.Message
            : $"{exception.Message} {cause.Message}";
    }
}

/// <summary>An attempt's timeout source, given back to its transport when disposed.</summary>
internal readonly struct PooledTimeout(HttpDeliveryTransport transport, CancellationTokenSource source, long started) : IDisposable
{
    public CancellationTokenSource Source => source;

    public void Dispose() => transport.ReturnTimeout(source, started);
}
