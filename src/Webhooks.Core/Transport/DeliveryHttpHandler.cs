using System.Net;

namespace Webhooks.Core.Internal;

/// <summary>Builds the primary handler of the delivery client: no redirects, no cookies, no proxy, no baggage, and the SSRF guard.</summary>
internal static class DeliveryHttpHandler
{
    // Endpoints may answer with large bodies the transport does not want; draining more than this closes the connection instead.
    private const int MaxResponseDrainSize = 64 * 1024;

    public static SocketsHttpHandler Create(HttpDeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,

            // A proxy would receive the connection instead of the endpoint and defeat the address check.
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.Timeout > TimeSpan.Zero ? options.Timeout : Timeout.InfiniteTimeSpan,

            // Recycling connections picks up DNS changes; the handler itself lives as long as the host.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            MaxResponseDrainSize = MaxResponseDrainSize,
            ResponseDrainTimeout = TimeSpan.FromSeconds(1),

            // The trace context, not the host's baggage: receivers are third parties.
            ActivityHeadersPropagator = TraceContextPropagator.Instance,
        };
        if (options.BlockNonPublicAddresses)
        {
            handler.ConnectCallback = new EndpointConnector(options).ConnectAsync;
        }

        return handler;
    }
}
