using Microsoft.AspNetCore.Mvc;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>The query of <c>GET {prefix}</c>.</summary>
internal sealed class WebhookListParameters : PageParameters
{
    /// <summary>Gets or sets the state to list: ENABLED or DISABLED. Webhooks the user disabled are listed only when asked for.</summary>
    [FromQuery(Name = "state")]
    public string? State { get; set; }

    /// <summary>Gets or sets the status to list: PENDING, ACTIVE, WARNING, ERROR or DISABLED.</summary>
    [FromQuery(Name = "status")]
    public string? Status { get; set; }
}
