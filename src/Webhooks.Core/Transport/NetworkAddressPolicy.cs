using System.Net;
using System.Net.Sockets;

namespace Webhooks.Core.Internal;

/// <summary>
/// Classifies IP addresses for the SSRF guard: an address is public when it is globally reachable unicast, following the
/// IANA special-purpose address registries. Addresses that embed an IPv4 address (IPv4-mapped, NAT64, 6to4) are judged
/// by the IPv4 address they lead to.
/// </summary>
internal static class NetworkAddressPolicy
{
    private static readonly IPNetwork[] _nonPublicIPv4 =
    [
        IPNetwork.Parse("0.0.0.0/8"),        // "this network", including the unspecified address
        IPNetwork.Parse("10.0.0.0/8"),       // private
        IPNetwork.Parse("100.64.0.0/10"),    // shared address space (carrier-grade NAT)
        IPNetwork.Parse("127.0.0.0/8"),      // loopback
        IPNetwork.Parse("169.254.0.0/16"),   // link-local, including cloud metadata endpoints
        IPNetwork.Parse("172.16.0.0/12"),    // private
        IPNetwork.Parse("192.0.0.0/24"),     // IETF protocol assignments
        IPNetwork.Parse("192.0.2.0/24"),     // documentation (TEST-NET-1)
        IPNetwork.Parse("192.88.99.0/24"),   // 6to4 relay anycast (deprecated)
        IPNetwork.Parse("192.168.0.0/16"),   // private
        IPNetwork.Parse("198.18.0.0/15"),    // benchmarking
        IPNetwork.Parse("198.51.100.0/24"),  // documentation (TEST-NET-2)
        IPNetwork.Parse("203.0.113.0/24"),   // documentation (TEST-NET-3)
        IPNetwork.Parse("224.0.0.0/4"),      // multicast
        IPNetwork.Parse("240.0.0.0/4"),      // reserved, including the limited broadcast address
    ];

    // Only global unicast (2000::/3) can be public; this alone rules out ::/8 (unspecified, loopback, IPv4-compatible),
    // unique local fc00::/7, link-local fe80::/10, site-local fec0::/10 and multicast ff00::/8.
    private static readonly IPNetwork _globalUnicast = IPNetwork.Parse("2000::/3");

    private static readonly IPNetwork[] _nonPublicIPv6 =
    [
        IPNetwork.Parse("2001::/23"),        // IETF protocol assignments: Teredo, benchmarking, ORCHID
        IPNetwork.Parse("2001:db8::/32"),    // documentation
        IPNetwork.Parse("3fff::/20"),        // documentation
    ];

    private static readonly IPNetwork _nat64 = IPNetwork.Parse("64:ff9b::/96");

    private static readonly IPNetwork _sixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>Returns whether <paramref name="address"/> is a globally reachable unicast address.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => !ContainedInAny(_nonPublicIPv4, address),
            AddressFamily.InterNetworkV6 => IsPublicIPv6(address),
            _ => false,
        };
    }

    private static bool IsPublicIPv6(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return IsPublic(address.MapToIPv4());
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        if (_nat64.Contains(address))
        {
            return IsPublic(new IPAddress(bytes[12..]));
        }

        if (_sixToFour.Contains(address))
        {
            return IsPublic(new IPAddress(bytes[2..6]));
        }

        return _globalUnicast.Contains(address) && !ContainedInAny(_nonPublicIPv6, address);
    }

    private static bool ContainedInAny(IPNetwork[] networks, IPAddress address)
    {
        foreach (var network in networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
