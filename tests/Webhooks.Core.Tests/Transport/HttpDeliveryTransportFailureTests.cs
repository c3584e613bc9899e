using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Core.Internal;
using Webhooks.Core.Testing;

namespace Webhooks.Core.Tests.Transport;

/// <summary>Endpoints that do not answer: timeouts, broken connections, unreachable hosts, and the caller giving up.</summary>
public sealed class HttpDeliveryTransportFailureTests : TransportFixture
{
    [Test]
    public async Task SendAsync_EndpointSlowerThanTimeout_TimesOutWithoutStatus()
    {
        // The one test on real time: a short timeout against an answer that would take far longer.
        Receiver.Respond(_ => ReceiverAnswer.Ok with { Delay = TimeSpan.FromMinutes(1) });
        var transport = Harness.CreateTransport(o => o.Timeout = TimeSpan.FromMilliseconds(200), TimeProvider.System);

        var result = await transport.SendAsync(Harness.Post(), CancellationToken.None).AsTask().WaitAsync(TransportHarness.Patience);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo("Timed out after 0.2 s."));
            Assert.That(result.StatusCode, Is.Null);
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Duration, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(150)));
        });
    }

    [Test]
    public async Task SendAsync_TimeoutOnTimeProvider_TimesOutWhenTimeAdvances()
    {
        Receiver.Respond(_ => ReceiverAnswer.Ok with { Delay = TimeSpan.FromMinutes(1) });
        var transport = Harness.CreateTransport(o => o.Timeout = TimeSpan.FromSeconds(15));

        var sending = transport.SendAsync(Harness.Post(), CancellationToken.None).AsTask();
        await Receiver.WaitForRequestsAsync(1, TransportHarness.Patience);
        Assert.That(sending.IsCompleted, Is.False);
        Harness.Time.Advance(TimeSpan.FromSeconds(15));
        var result = await sending.WaitAsync(TransportHarness.Patience);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo("Timed out after 15 s."));
            Assert.That(result.StatusCode, Is.Null);
            Assert.That(result.Duration, Is.EqualTo(TimeSpan.FromSeconds(15)));
        });
    }

    [Test]
    public async Task SendAsync_ConnectionClosedWithoutAnswer_FailsWithError()
    {
        Receiver.Respond(_ => ReceiverAnswer.Ok with { CloseConnection = true });

        var result = await Harness.CreateTransport().SendAsync(Harness.Post(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.Null);
            Assert.That(result.Error, Is.Not.Null.And.Not.Empty);
            Assert.That(Receiver.Requests, Is.Not.Empty);
        });
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task SendAsync_NothingListening_FailsWithConnectionError(bool blockNonPublicAddresses)
    {
        var url = $"http://127.0.0.1:{UnusedPort()}/hook";

        var result = await Harness.CreateTransport(o => o.BlockNonPublicAddresses = blockNonPublicAddresses)
            .SendAsync(Harness.Post() with { Url = url }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.Null);
            Assert.That(result.Error, Does.Contain("refused").IgnoreCase);
        });
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task SendAsync_UnknownHost_FailsWithError(bool blockNonPublicAddresses)
    {
        var result = await Harness.CreateTransport(o => o.BlockNonPublicAddresses = blockNonPublicAddresses)
            .SendAsync(Harness.Post() with { Url = "http://no-such-host.invalid/hook" }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.Null);
            Assert.That(result.Error, Is.Not.Null.And.Not.Empty);
        });
    }

    [Test]
    public async Task SendAsync_CallerCancelsWhileWaiting_Throws()
    {
        Receiver.Respond(_ => ReceiverAnswer.Ok with { Delay = TimeSpan.FromMinutes(1) });
        using var cancellation = new CancellationTokenSource();

        var sending = Harness.CreateTransport().SendAsync(Harness.Post(), cancellation.Token).AsTask();
        await Receiver.WaitForRequestsAsync(1, TransportHarness.Patience);
        await cancellation.CancelAsync();

        Assert.That(
            async () => await sending.WaitAsync(TransportHarness.Patience),
            Throws.InstanceOf<OperationCanceledException>().With.Property(nameof(OperationCanceledException.CancellationToken)).EqualTo(cancellation.Token));
    }

    // Attempts' timeout sources are reset and used again: a kept one must time the next attempt out in full, and one
    // whose attempt the caller cancelled must not be kept (nor cancel the next attempt).
    [Test]
    public async Task SendAsync_AfterQuickAndCancelledAttempts_NextAttemptTimesOutAtItsFullTimeout()
    {
        var transport = Harness.CreateTransport(o => o.Timeout = TimeSpan.FromSeconds(15));
        for (var i = 0; i < 3; i++)
        {
            Assert.That((await transport.SendAsync(Harness.Post(), CancellationToken.None)).StatusCode, Is.EqualTo(200));
        }

        Receiver.Respond(_ => ReceiverAnswer.Ok with { Delay = TimeSpan.FromMinutes(1) });
        using (var cancellation = new CancellationTokenSource())
        {
            var cancelled = transport.SendAsync(Harness.Post(), cancellation.Token).AsTask();
            await Receiver.WaitForRequestsAsync(4, TransportHarness.Patience);
            await cancellation.CancelAsync();
            Assert.That(async () => await cancelled.WaitAsync(TransportHarness.Patience), Throws.InstanceOf<OperationCanceledException>());
        }

        var sending = transport.SendAsync(Harness.Post(), CancellationToken.None).AsTask();
        await Receiver.WaitForRequestsAsync(5, TransportHarness.Patience);
        Harness.Time.Advance(TimeSpan.FromSeconds(14));
        Assert.That(sending.IsCompleted, Is.False, "timed out early");
        Harness.Time.Advance(TimeSpan.FromSeconds(1));
        var result = await sending.WaitAsync(TransportHarness.Patience);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo("Timed out after 15 s."));
            Assert.That(result.Duration, Is.EqualTo(TimeSpan.FromSeconds(15)));
        });
    }

    [Test]
    public void SendAsync_AlreadyCancelled_ThrowsWithoutSending()
    {
        var transport = Harness.CreateTransport();

        Assert.That(async () => await transport.SendAsync(Harness.Post(), new CancellationToken(canceled: true)), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(Receiver.Requests, Is.Empty);
    }

    [Test]
    public async Task SendAsync_RelativeUrl_FailsWithError()
    {
        var result = await Harness.CreateTransport().SendAsync(Harness.Post() with { Url = "/hook" }, CancellationToken.None);

        Assert.That(result.Error, Is.Not.Null.And.Not.Empty);
    }

    [Test]
    public async Task SendAsync_ConnectionClosedDuringBody_KeepsStatusAndReportsBodyError()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serving = AnswerOnceAsync(listener, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 100\r\n\r\npartial", close: true);

        var result = await Harness.CreateTransport().SendAsync(Harness.Post() with { Url = UrlOf(listener) }, CancellationToken.None);
        await serving.WaitAsync(TransportHarness.Patience);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.EqualTo(500));
            Assert.That(result.ResponseBody, Is.Empty);
            Assert.That(result.Error, Does.StartWith("Reading the response body failed: "));
        });
    }

    [Test]
    public async Task SendAsync_BodyStallsPastTimeout_KeepsStatusAndReportsTimeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serving = AnswerOnceAsync(listener, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial", close: false);
        var headers = new ResponseHeadersSignal();
        var transport = Harness.CreateTransport(
            o => o.Timeout = TimeSpan.FromSeconds(15),
            configureServices: services => services.AddHttpClient(HttpDeliveryTransport.ClientName).AddHttpMessageHandler(() => headers));

        var sending = transport.SendAsync(Harness.Post() with { Url = UrlOf(listener) }, CancellationToken.None).AsTask();
        using var connection = await serving.WaitAsync(TransportHarness.Patience);
        await headers.Received.WaitAsync(TransportHarness.Patience);
        Harness.Time.Advance(TimeSpan.FromSeconds(15));
        var result = await sending.WaitAsync(TransportHarness.Patience);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.EqualTo(200));
            Assert.That(result.Error, Is.EqualTo("Reading the response body failed: Timed out after 15 s."));
        });
    }

    [TestCase("iso-8859-1", "caf\u00e9", "caf\u00e9")]
    [TestCase("\"utf-16le\"", "o\0k\0", "ok")]
    [TestCase("klingon", "ok", "ok")]
    [TestCase("utf-7", "ok", "ok")]
    public async Task SendAsync_BodyInTheCharsetItsContentTypeNames_IsReadInThatCharset(string charset, string bytes, string text)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serving = AnswerOnceAsync(
            listener, $"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain; charset={charset}\r\nContent-Length: {bytes.Length}\r\n\r\n{bytes}", close: true);

        var result = await Harness.CreateTransport().SendAsync(Harness.Post() with { Url = UrlOf(listener) }, CancellationToken.None);
        await serving.WaitAsync(TransportHarness.Patience);

        Assert.That(result.ResponseBody, Is.EqualTo(text));
    }

    private static string UrlOf(TcpListener listener) => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/hook";

    // A hand-written answer: Kestrel always completes the bodies it starts, so a broken body needs a raw socket.
    private static async Task<TcpClient> AnswerOnceAsync(TcpListener listener, string response, bool close)
    {
        var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var request = new List<byte>();
        var buffer = new byte[4096];
        while (!Encoding.ASCII.GetString([.. request]).Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                break;
            }

            request.AddRange(buffer.AsSpan(0, read));
        }

        // Latin-1: one byte per character, so that a test writes any byte of a body.
        await stream.WriteAsync(Encoding.Latin1.GetBytes(response));
        await stream.FlushAsync();
        if (close)
        {
            client.Dispose();
        }

        return client;
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
