namespace Webhooks.Core;

/// <summary>
/// Sends one request to a webhook's endpoint. Implementations report every failure in the returned
/// <see cref="DeliveryResult"/> (timeouts, refused addresses, connection errors) and throw only when
/// the caller cancels.
/// </summary>
public interface IDeliveryTransport
{
    /// <summary>Sends a request and reports how the endpoint answered.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    ValueTask<DeliveryResult> SendAsync(DeliveryRequest request, CancellationToken cancellationToken);
}
