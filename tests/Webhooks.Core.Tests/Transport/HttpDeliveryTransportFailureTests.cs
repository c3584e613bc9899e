using System.Net;
using System.Net.Sockets;
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

        Assert.That(async () => await sending.WaitAsync(TransportHarness.Patience), Throws.InstanceOf<OperationCanceledException>());
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

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
