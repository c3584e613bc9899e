using Webhooks.Core.Testing.Internal;

namespace Webhooks.Core.Testing;

/// <summary>
/// An <see cref="IDeliveryTransport"/> for unit tests of a host: it sends nothing, records every request and answers
/// from a script (by default <c>200 OK</c>). Register it with <c>AddTransport</c> in place of the HTTP transport.
/// </summary>
/// <remarks>
/// With <c>AddTransport&lt;FakeDeliveryTransport&gt;()</c>, the host's instance is its <see cref="IDeliveryTransport"/>
/// service. The engine sends in parallel, so a script may run on several threads at once: keep what it counts in an
/// <see cref="Interlocked"/> counter or under a lock. A script must not return <see langword="null"/>. Handshakes come
/// here too (<see cref="DeliveryRequest.Method"/> is <c>GET</c>), and the default answer, an empty <c>200</c>, fails them:
/// for <see cref="VerificationMode.Challenge"/>, script the <c>{"verification": "&lt;challenge&gt;"}</c> answer.
/// </remarks>
public sealed class FakeDeliveryTransport : IDeliveryTransport
{
    private static readonly Func<DeliveryRequest, DeliveryResult> _answerOk =
        static _ => new DeliveryResult { StatusCode = 200, ResponseBody = string.Empty };

    private readonly RequestLog<DeliveryRequest> _requests = new();
    private volatile Func<DeliveryRequest, DeliveryResult> _answer;

    /// <summary>Initializes a new instance of the <see cref="FakeDeliveryTransport"/> class that answers <c>200 OK</c>.</summary>
    public FakeDeliveryTransport()
        : this(_answerOk)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FakeDeliveryTransport"/> class that answers from a script.</summary>
    /// <param name="answer">Chooses the result of each request.</param>
    public FakeDeliveryTransport(Func<DeliveryRequest, DeliveryResult> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        _answer = answer;
    }

    /// <summary>Gets the requests sent so far, in order.</summary>
    public IReadOnlyList<DeliveryRequest> Requests => _requests.Snapshot();

    /// <summary>Sets how the transport answers from now on.</summary>
    /// <param name="answer">Chooses the result of each request.</param>
    /// <returns>This transport.</returns>
    public FakeDeliveryTransport Respond(Func<DeliveryRequest, DeliveryResult> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        _answer = answer;
        return this;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests have been sent in total.</summary>
    /// <param name="count">How many requests to wait for.</param>
    /// <param name="timeout">
    /// How long to wait; <see cref="Timeout.InfiniteTimeSpan"/>, or anything longer than a timer can wait (about 49 days),
    /// waits without end.
    /// </param>
    /// <returns>The requests sent so far.</returns>
    /// <exception cref="TimeoutException">Fewer requests were sent within <paramref name="timeout"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> or <paramref name="timeout"/> is negative.</exception>
    public Task<IReadOnlyList<DeliveryRequest>> WaitForRequestsAsync(int count, TimeSpan timeout) =>
        _requests.WaitForAsync(count, timeout, "request");

    /// <inheritdoc/>
    public ValueTask<DeliveryResult> SendAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        _requests.Add(request);
        return ValueTask.FromResult(_answer(request)
            ?? throw new InvalidOperationException($"The FakeDeliveryTransport's answer returned null for the request to {request.Url}: return a DeliveryResult."));
    }
}
