using System.Net;
using Webhooks.Core.Internal;

namespace Webhooks.Core.Tests.Transport;

public sealed class NetworkAddressPolicyTests
{
    [TestCase("0.0.0.0", TestName = "IPv4 unspecified")]
    [TestCase("0.1.2.3", TestName = "IPv4 this network 0/8")]
    [TestCase("10.0.0.1", TestName = "IPv4 private 10/8 start")]
    [TestCase("10.255.255.255", TestName = "IPv4 private 10/8 end")]
    [TestCase("100.64.0.1", TestName = "IPv4 CGNAT start")]
    [TestCase("100.127.255.254", TestName = "IPv4 CGNAT end")]
    [TestCase("127.0.0.1", TestName = "IPv4 loopback")]
    [TestCase("127.255.255.254", TestName = "IPv4 loopback 127/8 end")]
    [TestCase("169.254.0.1", TestName = "IPv4 link-local")]
    [TestCase("169.254.169.254", TestName = "IPv4 cloud metadata")]
    [TestCase("172.16.0.1", TestName = "IPv4 private 172.16/12 start")]
    [TestCase("172.31.255.255", TestName = "IPv4 private 172.16/12 end")]
    [TestCase("192.0.0.8", TestName = "IPv4 IETF protocol assignments")]
    [TestCase("192.0.2.1", TestName = "IPv4 documentation TEST-NET-1")]
    [TestCase("192.88.99.1", TestName = "IPv4 6to4 relay anycast")]
    [TestCase("192.168.0.1", TestName = "IPv4 private 192.168/16 start")]
    [TestCase("192.168.255.255", TestName = "IPv4 private 192.168/16 end")]
    [TestCase("198.18.0.1", TestName = "IPv4 benchmarking start")]
    [TestCase("198.19.255.255", TestName = "IPv4 benchmarking end")]
    [TestCase("198.51.100.7", TestName = "IPv4 documentation TEST-NET-2")]
    [TestCase("203.0.113.9", TestName = "IPv4 documentation TEST-NET-3")]
    [TestCase("224.0.0.1", TestName = "IPv4 multicast start")]
    [TestCase("239.255.255.250", TestName = "IPv4 multicast SSDP")]
    [TestCase("240.0.0.1", TestName = "IPv4 reserved")]
    [TestCase("255.255.255.255", TestName = "IPv4 broadcast")]
    [TestCase("::", TestName = "IPv6 unspecified")]
    [TestCase("::1", TestName = "IPv6 loopback")]
    [TestCase("::127.0.0.1", TestName = "IPv6 IPv4-compatible")]
    [TestCase("::ffff:127.0.0.1", TestName = "IPv4-mapped loopback")]
    [TestCase("::ffff:10.1.2.3", TestName = "IPv4-mapped private")]
    [TestCase("::ffff:169.254.169.254", TestName = "IPv4-mapped link-local")]
    [TestCase("::ffff:0.0.0.0", TestName = "IPv4-mapped unspecified")]
    [TestCase("100::1", TestName = "IPv6 discard-only")]
    [TestCase("fc00::1", TestName = "IPv6 unique local fc00")]
    [TestCase("fd12:3456:789a::1", TestName = "IPv6 unique local fd00")]
    [TestCase("fe80::1", TestName = "IPv6 link-local")]
    [TestCase("fe80::1%2", TestName = "IPv6 link-local with scope")]
    [TestCase("febf:ffff::1", TestName = "IPv6 link-local end")]
    [TestCase("fec0::1", TestName = "IPv6 site-local")]
    [TestCase("ff02::1", TestName = "IPv6 multicast link scope")]
    [TestCase("ff0e::1", TestName = "IPv6 multicast global scope")]
    [TestCase("2001::1", TestName = "IPv6 Teredo")]
    [TestCase("2001:2::1", TestName = "IPv6 benchmarking")]
    [TestCase("2001:10::1", TestName = "IPv6 ORCHID")]
    [TestCase("2001:1ff:ffff::1", TestName = "IPv6 IETF protocol assignments end")]
    [TestCase("2001:db8::1", TestName = "IPv6 documentation 2001:db8")]
    [TestCase("3fff::1", TestName = "IPv6 documentation 3fff")]
    [TestCase("64:ff9b::7f00:1", TestName = "NAT64 of loopback")]
    [TestCase("64:ff9b::a00:1", TestName = "NAT64 of private")]
    [TestCase("64:ff9b:1::1", TestName = "NAT64 local-use")]
    [TestCase("2002:7f00:1::1", TestName = "6to4 of loopback")]
    [TestCase("2002:c0a8:101::1", TestName = "6to4 of private")]
    public void IsPublic_NonPublicAddress_False(string address)
    {
        Assert.That(NetworkAddressPolicy.IsPublic(IPAddress.Parse(address)), Is.False);
    }

    [TestCase("1.1.1.1")]
    [TestCase("8.8.8.8")]
    [TestCase("11.0.0.1", TestName = "IPv4 just after 10/8")]
    [TestCase("9.255.255.255", TestName = "IPv4 just before 10/8")]
    [TestCase("100.63.255.255", TestName = "IPv4 just before CGNAT")]
    [TestCase("100.128.0.1", TestName = "IPv4 just after CGNAT")]
    [TestCase("126.255.255.255", TestName = "IPv4 just before loopback")]
    [TestCase("128.0.0.1", TestName = "IPv4 just after loopback")]
    [TestCase("169.253.255.255", TestName = "IPv4 just before link-local")]
    [TestCase("172.15.255.255", TestName = "IPv4 just before 172.16/12")]
    [TestCase("172.32.0.1", TestName = "IPv4 just after 172.16/12")]
    [TestCase("192.0.3.1", TestName = "IPv4 just after TEST-NET-1")]
    [TestCase("192.167.255.255", TestName = "IPv4 just before 192.168/16")]
    [TestCase("192.169.0.1", TestName = "IPv4 just after 192.168/16")]
    [TestCase("198.17.255.255", TestName = "IPv4 just before benchmarking")]
    [TestCase("198.20.0.1", TestName = "IPv4 just after benchmarking")]
    [TestCase("223.255.255.255", TestName = "IPv4 just before multicast")]
    [TestCase("::ffff:8.8.8.8", TestName = "IPv4-mapped public")]
    [TestCase("2606:4700:4700::1111", TestName = "IPv6 global unicast")]
    [TestCase("2a00:1450:4001::1", TestName = "IPv6 global unicast 2a00")]
    [TestCase("2001:200::1", TestName = "IPv6 just after IETF protocol assignments")]
    [TestCase("2001:4860:4860::8888", TestName = "IPv6 global unicast 2001:4860")]
    [TestCase("64:ff9b::808:808", TestName = "NAT64 of public")]
    [TestCase("2002:808:808::1", TestName = "6to4 of public")]
    public void IsPublic_PublicAddress_True(string address)
    {
        Assert.That(NetworkAddressPolicy.IsPublic(IPAddress.Parse(address)), Is.True);
    }

    [Test]
    public void IsPublic_Null_Throws()
    {
        Assert.That(() => NetworkAddressPolicy.IsPublic(null!), Throws.ArgumentNullException);
    }
}
