using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Webhooks.Core;

/// <summary>How the HTTP transport sends requests.</summary>
public sealed class HttpDeliveryOptions
{
    /// <summary>Gets or sets the time limit of one attempt. The default value is 15 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets how many bytes of a response body are kept in the log. The default value is 4096.</summary>
    [Range(0, 1024 * 1024)]
    public int ResponseBodyLimit { get; set; } = 4096;

    /// <summary>Gets or sets the <c>user-agent</c> sent. The default value is <c>Webhooks.Core/{version}</c>.</summary>
    [Required]
    public string UserAgent { get; set; } = "Webhooks.Core/" + typeof(HttpDeliveryOptions).Assembly.GetName().Version?.ToString(3);

    /// <summary>
    /// Gets or sets a value indicating whether requests to non-public addresses (loopback, private, link-local, …)
    /// are refused after DNS resolution. The default value is <see langword="true"/>.
    /// </summary>
    public bool BlockNonPublicAddresses { get; set; } = true;

    /// <summary>Gets the addresses allowed despite <see cref="BlockNonPublicAddresses"/> (for example <see cref="IPAddress.Loopback"/> in tests).</summary>
    public IList<IPAddress> AllowedAddresses { get; } = [];

    /// <summary>Gets the networks allowed despite <see cref="BlockNonPublicAddresses"/>.</summary>
    public IList<IPNetwork> AllowedNetworks { get; } = [];
}
