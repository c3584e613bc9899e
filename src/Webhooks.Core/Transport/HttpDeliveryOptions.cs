using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Webhooks.Core;

/// <summary>How the HTTP transport sends requests.</summary>
public sealed class HttpDeliveryOptions
{
    /// <summary>Gets or sets the time limit of one attempt, at most 1 day. The default value is 15 seconds.</summary>
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

    /// <summary>
    /// Gets the addresses allowed despite <see cref="BlockNonPublicAddresses"/>, for example <c>127.0.0.1</c> in tests.
    /// The default value is empty.
    /// </summary>
    /// <remarks>
    /// Written as text, IPv4 as four decimal numbers (<c>10.0.0.5</c>) or IPv6 without brackets, port or zone
    /// (<c>fd00::5</c>; an address is allowed on every port), so that the list binds
    /// from configuration (<c>"AllowedAddresses": ["10.0.0.5"]</c>); <see cref="IPAddress.ToString"/> writes one. An entry
    /// that is not an address fails the start, naming its position and value.
    /// </remarks>
    public IList<string> AllowedAddresses { get; } = [];

    /// <summary>Gets the networks allowed despite <see cref="BlockNonPublicAddresses"/>. The default value is empty.</summary>
    /// <remarks>
    /// Written in CIDR notation (<c>10.0.0.0/8</c>, <c>fd00::/8</c>), with no address bits set past the prefix, so that
    /// the list binds from configuration (<c>"AllowedNetworks": ["10.0.0.0/8"]</c>); <see cref="IPNetwork.ToString"/>
    /// writes one. An entry that is not a network fails the start, naming its position and value.
    /// </remarks>
    public IList<string> AllowedNetworks { get; } = [];
}
