using System.Net;
using System.Net.Sockets;

namespace Webhooks.Core.Internal;

/// <summary>
/// Reads the SSRF guard's allow-lists, <see cref="HttpDeliveryOptions.AllowedAddresses"/> and
/// <see cref="HttpDeliveryOptions.AllowedNetworks"/>, which are text so that configuration binds them, and says what is
/// wrong with an entry: the start refuses it rather than drop it.
/// </summary>
internal static class AddressAllowList
{
    private const string AddressForm =
        "must be an IP address: IPv4 as four decimal numbers without leading zeros (10.0.0.5), or IPv6 without brackets, port or zone (fd00::5)";

    private const string NetworkForm =
        "must be a network in CIDR notation: such an address, '/' and a prefix length, with no address bits set past the prefix (10.0.0.0/8, fd00::/8)";

    /// <summary>Gets what is wrong with each entry that is not an address or a network, named <paramref name="prefix"/><c>AllowedAddresses[i]</c>.</summary>
    public static IEnumerable<string> Problems(HttpDeliveryOptions options, string prefix)
    {
        for (var i = 0; i < options.AllowedAddresses.Count; i++)
        {
            if (!TryParseAddress(options.AllowedAddresses[i], out _))
            {
                yield return Problem($"{prefix}AllowedAddresses[{i}]", options.AllowedAddresses[i], AddressForm);
            }
        }

        for (var i = 0; i < options.AllowedNetworks.Count; i++)
        {
            if (!TryParseNetwork(options.AllowedNetworks[i], out _))
            {
                yield return Problem($"{prefix}AllowedNetworks[{i}]", options.AllowedNetworks[i], NetworkForm);
            }
        }
    }

    /// <summary>Gets the allowed addresses.</summary>
    /// <exception cref="InvalidOperationException">An entry is not an address or a network (options not validated on start).</exception>
    public static (IPAddress[] Addresses, IPNetwork[] Networks) Read(HttpDeliveryOptions options)
    {
        var problems = Problems(options, nameof(HttpDeliveryOptions) + ".").ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }

        return (
            [.. options.AllowedAddresses.Select(static text => TryParseAddress(text, out var address) ? address : null!)],
            [.. options.AllowedNetworks.Select(static text => TryParseNetwork(text, out var network) ? network : default)]);
    }

    private static string Problem(string name, string? value, string form) =>
        value is null ? $"{name} must not be null." : $"{name} ('{value}') {form}.";

    private static bool TryParseAddress(ReadOnlySpan<char> text, out IPAddress address)
    {
        // IPAddress also reads the old inet_aton forms: "10.1" is 10.0.0.1 and "010.0.0.5" is 8.0.0.5, so such an entry
        // would allow another address than the one its writer meant.
        if (!IPAddress.TryParse(text, out address!))
        {
            return false;
        }

        // IPAddress also reads an IPv6 address in brackets with a port ("[fd00::5]:8443") or with a zone ("fe80::1%eth0"),
        // and drops the port: an entry meant for one port would allow them all.
        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? !text.ContainsAnyExcept(Ipv6Characters)
            : text.SequenceEqual(address.ToString());
    }

    private static readonly System.Buffers.SearchValues<char> Ipv6Characters = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF:.");

    private static bool TryParseNetwork(string? text, out IPNetwork network)
    {
        network = default;
        var slash = text?.IndexOf('/') ?? -1;
        var prefixLength = slash < 0 ? default : text.AsSpan(slash + 1);
        return slash > 0
            && prefixLength.Length is >= 1 and <= 3
            && !prefixLength.ContainsAnyExceptInRange('0', '9')
            && TryParseAddress(text.AsSpan(0, slash), out var address)
            && IPNetwork.TryParse(text, out network)

            // IPNetwork clears the bits past the prefix: "10.0.0.1/8" would allow all of 10.0.0.0/8, perhaps not what was meant.
            && network.BaseAddress.Equals(address);
    }
}
