
namespace Webhooks.Core.Tests.Transport;

/// <summary>The SSRF guard exercised through the real handler.</summary>
public sealed class HttpDeliveryTransportAddressGuardTests : TransportFixture
{
    private int Port => Receiver.BaseAddress.Port;

    [Test]
    public async Task SendAsync_LoopbackNotAllowed_RefusedBeforeConnecting()
    {
        var transport = Harness.CreateTransport(o => o.AllowedAddresses.Clear());

        var result = await transport.SendAsync(Harness.Post(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo("Refused to connect to 127.0.0.1: the address is not public (allow it with HttpDeliveryOptions.AllowedAddresses)."));
            Assert.That(result.StatusCode, Is.Null);
            Assert.That(Receiver.Requests, Is.Empty);
        });
    }

    // The error reaches the webhook's owner: the addresses a name resolved to would map the host's internal network.
    [Test]
    public async Task SendAsync_LocalhostNameNotAllowed_RefusedWithoutNamingTheResolvedAddresses()
    {
        var transport = Harness.CreateTransport(o => o.AllowedAddresses.Clear());

        var result = await transport.SendAsync(Harness.Post() with { Url = $"http://localhost:{Port}/hook" }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo("Refused to connect to localhost: it resolves to no public address (allow one with HttpDeliveryOptions.AllowedAddresses)."));
            Assert.That(result.StatusCode, Is.Null);
            Assert.That(Receiver.Requests, Is.Empty);
        });
    }

    [TestCase("[::1]", "::1")]
    [TestCase("[::ffff:127.0.0.1]", "::ffff:127.0.0.1")]
    public async Task SendAsync_IPv6LoopbackLiteralNotAllowed_Refused(string host, string address)
    {
        var transport = Harness.CreateTransport(o => o.AllowedAddresses.Clear());

        var result = await transport.SendAsync(Harness.Post() with { Url = $"http://{host}:{Port}/hook" }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Does.StartWith($"Refused to connect to {address}: the address is not public"));
            Assert.That(Receiver.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task SendAsync_LoopbackInAllowedAddresses_Delivered()
    {
        var result = await Harness.CreateTransport().SendAsync(Harness.Post(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.EqualTo(200));
            Assert.That(Receiver.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task SendAsync_LoopbackInAllowedNetworks_Delivered()
    {
        var transport = Harness.CreateTransport(o =>
        {
            o.AllowedAddresses.Clear();
            o.AllowedNetworks.Add("127.0.0.0/8");
        });

        var result = await transport.SendAsync(Harness.Post(), CancellationToken.None);

        Assert.That(result.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task SendAsync_IPv4MappedLoopbackWithAllIPv6Allowed_Refused()
    {
        var transport = Harness.CreateTransport(o =>
        {
            o.AllowedAddresses.Clear();
            o.AllowedNetworks.Add("::/0");
        });

        var result = await transport.SendAsync(Harness.Post() with { Url = $"http://[::ffff:127.0.0.1]:{Port}/hook" }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Does.StartWith("Refused to connect to ::ffff:127.0.0.1: the address is not public"));
            Assert.That(Receiver.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task SendAsync_LocalhostNameWithLoopbackAllowed_ConnectsToTheAllowedAddress()
    {
        var result = await Harness.CreateTransport().SendAsync(Harness.Post() with { Url = $"http://localhost:{Port}/hook" }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.EqualTo(200));
            Assert.That(Receiver.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task SendAsync_IPv4MappedLiteralWithLoopbackAllowed_Delivered()
    {
        var result = await Harness.CreateTransport()
            .SendAsync(Harness.Post() with { Url = $"http://[::ffff:127.0.0.1]:{Port}/hook" }, CancellationToken.None);

        Assert.That(result.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task SendAsync_GuardOff_DeliversToLoopbackWithoutAllowList()
    {
        var transport = Harness.CreateTransport(o =>
        {
            o.AllowedAddresses.Clear();
            o.BlockNonPublicAddresses = false;
        });

        var result = await transport.SendAsync(Harness.Post(), CancellationToken.None);

        Assert.That(result.StatusCode, Is.EqualTo(200));
    }
}
