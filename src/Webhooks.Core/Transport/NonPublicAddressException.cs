using System.Net;

namespace Webhooks.Core.Internal;

/// <summary>
/// Thrown by <see cref="EndpointConnector"/> when every address a host resolves to is refused by the SSRF guard;
/// <see cref="HttpDeliveryTransport"/> turns it into a failed <see cref="DeliveryResult"/>. Its message reaches the
/// webhook's owner (the delivery log, a failed test's status reason), so it names the host as given and not the
/// addresses a name resolved to: those would map the host's internal network for a tenant.
/// </summary>
internal sealed class NonPublicAddressException : IOException
{
    public NonPublicAddressException(string host, IReadOnlyList<IPAddress> addresses)
        : base(Describe(host, addresses))
    {
    }

    private static string Describe(string host, IReadOnlyList<IPAddress> addresses) =>
        addresses.Count == 1 && addresses[0].ToString() == host
            ? $"Refused to connect to {host}: the address is not public (allow it with HttpDeliveryOptions.AllowedAddresses)."
            : $"Refused to connect to {host}: it resolves to no public address (allow one with HttpDeliveryOptions.AllowedAddresses).";
}
