using System.Net;

namespace Webhooks.Core.Internal;

/// <summary>
/// Thrown by <see cref="EndpointConnector"/> when every address a host resolves to is refused by the SSRF guard;
/// <see cref="HttpDeliveryTransport"/> turns it into a failed <see cref="DeliveryResult"/>.
/// </summary>
internal sealed class NonPublicAddressException : IOException
{
    public NonPublicAddressException(string host, IReadOnlyList<IPAddress> addresses)
        : base(Describe(host, addresses))
    {
    }

    private static string Describe(string host, IReadOnlyList<IPAddress> addresses)
    {
        var target = addresses.Count == 1 && addresses[0].ToString() == host
            ? host
            : $"{host} ({string.Join(", ", addresses)})";
        return addresses.Count == 1
            ? $"Refused to connect to {target}: the address is not public (allow it with HttpDeliveryOptions.AllowedAddresses)."
            : $"Refused to connect to {target}: the addresses are not public (allow one with HttpDeliveryOptions.AllowedAddresses).";
    }
}
