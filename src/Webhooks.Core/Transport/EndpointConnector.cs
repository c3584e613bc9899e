using System.Net;
using System.Net.Sockets;

namespace Webhooks.Core.Internal;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of the SSRF guard. It resolves the host itself and connects only
/// to public or explicitly allowed addresses, so a name cannot lead the transport into the host's own network, whatever
/// it resolves to at the moment of connecting.
/// </summary>
internal sealed class EndpointConnector
{
    private readonly IPAddress[] _allowedAddresses;
    private readonly IPNetwork[] _allowedNetworks;

    public EndpointConnector(HttpDeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // A snapshot: the handler outlives the options object's mutable lists.
        var (addresses, networks) = AddressAllowList.Read(options);
        _allowedAddresses = [.. addresses.Select(Normalize)];
        _allowedNetworks = [.. networks.Select(Normalize)];
    }

    /// <summary>Returns whether the guard lets the transport connect to <paramref name="address"/>.</summary>
    public bool IsAllowed(IPAddress address)
    {
        if (NetworkAddressPolicy.IsPublic(address))
        {
            return true;
        }

        var normalized = Normalize(address);
        if (Array.IndexOf(_allowedAddresses, normalized) >= 0)
        {
            return true;
        }

        // The normalized address only: an IPv4-mapped address is the IPv4 address it is connected to, so an IPv6 network
        // spanning the mapped range (::/0) must not allow 169.254.169.254 written as ::ffff:169.254.169.254.
        foreach (var network in _allowedNetworks)
        {
            if (network.Contains(normalized))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Resolves the endpoint's host and connects to its first allowed address that accepts the connection.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.AsSpan().Trim("[]"), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        var allowed = Array.FindAll(addresses, IsAllowed);
        if (allowed.Length == 0)
        {
            throw new NonPublicAddressException(host.Trim('[', ']'), addresses);
        }

        // Try the allowed addresses in order; the last one's failure is the one reported.
        for (var i = 0; ; i++)
        {
            try
            {
                return await ConnectAsync(new IPEndPoint(Normalize(allowed[i]), context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException) when (i < allowed.Length - 1)
            {
            }
        }
    }

    private static async ValueTask<Stream> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    // A network written in the IPv4-mapped form (::ffff:10.0.0.0/104) is the IPv4 network it maps, as an allowed address is.
    private static IPNetwork Normalize(IPNetwork network) =>
        network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= 96
            ? new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - 96)
            : network;
}
