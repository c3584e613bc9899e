using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Webhooks.Core.Testing.Internal;

namespace Webhooks.Core.Testing;

/// <summary>
/// A real HTTP endpoint for tests: a Kestrel server on <c>127.0.0.1</c> with an ephemeral port that records every
/// request and answers as the test tells it. Its URLs are plain <c>http</c> on loopback, so the host under test needs
/// both <see cref="WebhooksOptions.AllowHttp"/> (webhooks are otherwise https only) and <c>127.0.0.1</c> in
/// <see cref="HttpDeliveryOptions.AllowedAddresses"/> (the SSRF guard otherwise refuses loopback).
/// </summary>
/// <example>
/// <code>
/// await using var receiver = await TestWebhookReceiver.StartAsync();
/// receiver.Respond(_ => ReceiverAnswer.Status(503));
/// // ... deliver to receiver.UrlFor("/hook") ...
/// var requests = await receiver.WaitForRequestsAsync(1, TimeSpan.FromSeconds(10));
/// </code>
/// </example>
public sealed class TestWebhookReceiver : IAsyncDisposable
{
    private static readonly Func<ReceivedWebhook, ReceiverAnswer> _answerOk = static _ => ReceiverAnswer.Ok;

    private readonly WebApplication _app;
    private readonly TimeProvider _timeProvider;
    private readonly RequestLog<ReceivedWebhook> _requests = new();
    private readonly CancellationTokenSource _disposed = new();
    private volatile Func<ReceivedWebhook, ReceiverAnswer> _answer = _answerOk;
    private volatile string? _challengeHeaderName;

    // The one stop, started by the first DisposeAsync; later and concurrent calls wait for it.
    private readonly Lazy<Task> _stop;

    private TestWebhookReceiver(WebApplication app, TimeProvider timeProvider)
    {
        _app = app;
        _timeProvider = timeProvider;
        _stop = new Lazy<Task>(StopAsync);
        _app.Run(HandleAsync);
    }

    /// <summary>Gets the receiver's address, for example <c>http://127.0.0.1:53124/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Gets the requests received so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> Requests => _requests.Snapshot();

    /// <summary>
    /// Starts a receiver on <c>127.0.0.1</c> with a port chosen by the system. It answers <c>200 OK</c> until told
    /// otherwise, and dates each request (<see cref="ReceivedWebhook.ReceivedAt"/>) with <paramref name="timeProvider"/>:
    /// give it the fake clock that drives the engine under test, so that arrivals compare with attempt times. An
    /// answer's <see cref="ReceiverAnswer.Delay"/> still waits real time, as it holds a real connection.
    /// </summary>
    /// <param name="timeProvider">The clock; <see langword="null"/> for the system clock.</param>
    /// <param name="cancellationToken">A token to cancel the start.</param>
    public static async Task<TestWebhookReceiver> StartAsync(TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(static kestrel =>
        {
            // Every request is recorded, whatever its size: Kestrel's own 30 MB limit would refuse a large delivery unrecorded.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        var receiver = new TestWebhookReceiver(builder.Build(), timeProvider ?? TimeProvider.System);
        try
        {
            await receiver._app.StartAsync(cancellationToken).ConfigureAwait(false);
            receiver.BaseAddress = new Uri(receiver._app.Urls.Single());
            return receiver;
        }
        catch
        {
            await receiver.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Returns the absolute URL of <paramref name="path"/> on this receiver.</summary>
    /// <param name="path">The path. The default value is <c>/hook</c>.</param>
    public string UrlFor(string path = "/hook") => new Uri(BaseAddress, path).ToString();

    /// <summary>Sets how the receiver answers from now on.</summary>
    /// <remarks>
    /// Requests are answered in parallel, so <paramref name="answer"/> may run on several threads at once: keep what it
    /// counts in an <see cref="Interlocked"/> counter or under a lock. An answer that throws, returns <see langword="null"/>
    /// or cannot be sent (a header Kestrel refuses) is answered <c>500</c> with the exception as its text body.
    /// </remarks>
    /// <param name="answer">Chooses the answer to each request.</param>
    /// <returns>This receiver.</returns>
    public TestWebhookReceiver Respond(Func<ReceivedWebhook, ReceiverAnswer> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        _answer = answer;
        return this;
    }

    /// <summary>
    /// Makes the receiver pass verification handshakes: a <c>GET</c> carrying the header <paramref name="headerName"/> is
    /// answered <c>200</c> with <c>{"verification":"&lt;challenge&gt;"}</c>; other requests get the <see cref="Respond"/> answer.
    /// </summary>
    /// <param name="headerName">The challenge header, for example <see cref="WebhooksOptions.ChallengeHeaderName"/>.</param>
    /// <returns>This receiver.</returns>
    public TestWebhookReceiver AnswerHandshakes(string headerName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(headerName);
        _challengeHeaderName = headerName;
        return this;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived in total.</summary>
    /// <param name="count">How many requests to wait for.</param>
    /// <param name="timeout">
    /// How long to wait; <see cref="Timeout.InfiniteTimeSpan"/>, or anything longer than a timer can wait (about 49 days),
    /// waits without end.
    /// </param>
    /// <returns>The requests received so far.</returns>
    /// <exception cref="TimeoutException">Fewer requests arrived within <paramref name="timeout"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> or <paramref name="timeout"/> is negative.</exception>
    public Task<IReadOnlyList<ReceivedWebhook>> WaitForRequestsAsync(int count, TimeSpan timeout) =>
        _requests.WaitForAsync(count, timeout, "request");

    /// <summary>
    /// Stops the server; requests still waiting on a <see cref="ReceiverAnswer.Delay"/> are aborted. Calls made while it
    /// stops wait for the same stop.
    /// </summary>
    public ValueTask DisposeAsync() => new(_stop.Value);

    private async Task StopAsync()
    {
        await _disposed.CancelAsync().ConfigureAwait(false);
        try
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _disposed.Dispose();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var received = await ReadAsync(context.Request).ConfigureAwait(false);
        _requests.Add(received);
        try
        {
            await AnswerAsync(context, received).ConfigureAwait(false);
        }
        catch (Exception exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            // Kestrel would answer an empty 500 and log nowhere (this server has no logger): name the fault in the
            // answer, where the test sees it (the sender's delivery log keeps the response body).
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync($"TestWebhookReceiver could not answer {received.Method} {received.Path}: {exception}", context.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task AnswerAsync(HttpContext context, ReceivedWebhook received)
    {
        var answer = AnswerHandshake(received)
            ?? _answer(received)
            ?? throw new InvalidOperationException("The answer given to Respond returned null: return a ReceiverAnswer.");
        if (answer.Delay > TimeSpan.Zero || answer.Delay == Timeout.InfiniteTimeSpan)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _disposed.Token);
            try
            {
                // A delay longer than a timer can wait (about 49 days) waits as long as an infinite one: until the sender
                // gives up or the receiver is disposed.
                await Task.Delay(TimerLimits.Clamp(answer.Delay), TimeProvider.System, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                context.Abort();
                return;
            }
        }

        if (answer.CloseConnection)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = answer.StatusCode;
        foreach (var (name, value) in answer.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (answer.Body is not null)
        {
            await context.Response.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private ReceiverAnswer? AnswerHandshake(ReceivedWebhook received)
    {
        var headerName = _challengeHeaderName;
        return headerName is not null
            && HttpMethods.IsGet(received.Method)
            && received.Headers.TryGetValue(headerName, out var challenge)
                ? ReceiverAnswer.Json($$"""{"verification":{{JsonSerializer.Serialize(challenge)}}}""")
                : null;
    }

    private async Task<ReceivedWebhook> ReadAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted).ConfigureAwait(false);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values.ToString();
        }

        return new ReceivedWebhook
        {
            Method = request.Method,
            Path = request.Path.Value ?? string.Empty,
            Query = request.QueryString.Value ?? string.Empty,
            Headers = headers,
            Body = body.ToArray(),
            ReceivedAt = _timeProvider.GetUtcNow(),
        };
    }
}
