using System.Net;
using Webhooks.Core.Internal;

namespace Webhooks.Core.Tests.Transport;

public sealed class EndpointConnectorTests
{
    [Test]
    public void IsAllowed_PublicAddress_True()
    {
        var connector = new EndpointConnector(new HttpDeliveryOptions());

        Assert.That(connector.IsAllowed(IPAddress.Parse("8.8.8.8")), Is.True);
    }

    [Test]
    public void IsAllowed_NonPublicWithoutAllowList_False()
    {
        var connector = new EndpointConnector(new HttpDeliveryOptions());

        Assert.That(connector.IsAllowed(IPAddress.Loopback), Is.False);
    }

    [Test]
    public void IsAllowed_AllowedAddress_TrueForItAndItsIPv4MappedForm()
    {
        var options = new HttpDeliveryOptions();
        options.AllowedAddresses.Add("127.0.0.1");
        var connector = new EndpointConnector(options);

        Assert.Multiple(() =>
        {
            Assert.That(connector.IsAllowed(IPAddress.Loopback), Is.True);
            Assert.That(connector.IsAllowed(IPAddress.Parse("::ffff:127.0.0.1")), Is.True);
            Assert.That(connector.IsAllowed(IPAddress.Parse("127.0.0.2")), Is.False);
            Assert.That(connector.IsAllowed(IPAddress.IPv6Loopback), Is.False);
        });
    }

    [Test]
    public void IsAllowed_AddressInAllowedNetwork_True()
    {
        var options = new HttpDeliveryOptions();
        options.AllowedNetworks.Add("10.20.0.0/16");
        var connector = new EndpointConnector(options);

        Assert.Multiple(() =>
        {
            Assert.That(connector.IsAllowed(IPAddress.Parse("10.20.30.40")), Is.True);
            Assert.That(connector.IsAllowed(IPAddress.Parse("::ffff:10.20.30.40")), Is.True);
            Assert.That(connector.IsAllowed(IPAddress.Parse("10.21.0.1")), Is.False);
        });
    }

    [Test]
    public void IsAllowed_AllowedNetworkInIPv4MappedForm_AllowsItsIPv4AddressesToo()
    {
        // Both addresses lead to the same IPv4 socket (the connector connects to the mapped address's IPv4 form), and
        // AllowedAddresses already treats an entry and its mapped form alike.
        var options = new HttpDeliveryOptions();
        options.AllowedNetworks.Add("::ffff:10.20.0.0/112");
        var connector = new EndpointConnector(options);

        Assert.Multiple(() =>
        {
            Assert.That(connector.IsAllowed(IPAddress.Parse("::ffff:10.20.30.40")), Is.True);
            Assert.That(connector.IsAllowed(IPAddress.Parse("10.20.30.40")), Is.True);
            Assert.That(connector.IsAllowed(IPAddress.Parse("10.21.0.1")), Is.False);
            Assert.That(connector.IsAllowed(IPAddress.Parse("::ffff:10.21.0.1")), Is.False);
        });
    }

    // The connector connects to a mapped address's IPv4 form: an IPv6 network that spans the mapped range allows IPv6
    // addresses only, or a name answering ::ffff:169.254.169.254 would reach what the name answering 169.254.169.254 cannot.
    [TestCase("::/0", "fd00::5", "::ffff:169.254.169.254")]
    [TestCase("::/0", "fd00::5", "::ffff:127.0.0.1")]
    [TestCase("::/1", "100::5", "::ffff:10.0.0.1")]
    public void IsAllowed_IPv6NetworkSpanningTheIPv4MappedRange_DoesNotAllowIPv4Addresses(string network, string inNetwork, string address)
    {
        var options = new HttpDeliveryOptions();
        options.AllowedNetworks.Add(network);
        var connector = new EndpointConnector(options);

        Assert.Multiple(() =>
        {
            Assert.That(connector.IsAllowed(IPAddress.Parse(inNetwork)), Is.True);
            Assert.That(connector.IsAllowed(IPAddress.Parse(address).MapToIPv4()), Is.False);
            Assert.That(connector.IsAllowed(IPAddress.Parse(address)), Is.False);
        });
    }

    [Test]
    public void IsAllowed_OptionsChangedAfterCreation_KeepsSnapshot()
    {
        var options = new HttpDeliveryOptions();
        var connector = new EndpointConnector(options);
        options.AllowedAddresses.Add("127.0.0.1");

        Assert.That(connector.IsAllowed(IPAddress.Loopback), Is.False);
    }

    // The transport registered without AddWebhooks has no options validation: the guard names the entry itself.
    [Test]
    public void New_AllowListEntryThatIsNoNetwork_ThrowsNamingItsPositionAndValue()
    {
        var options = new HttpDeliveryOptions();
        options.AllowedNetworks.Add("10.0.0.0/8");
        options.AllowedNetworks.Add("10.0.0.0");

        Assert.That(
            () => new EndpointConnector(options),
            Throws.InvalidOperationException.With.Message.StartsWith("HttpDeliveryOptions.AllowedNetworks[1] ('10.0.0.0') must be a network in CIDR notation"));
    }
}
