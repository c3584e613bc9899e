using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>The query of <c>GET {prefix}</c>.</summary>
internal sealed class WebhookListParameters : PageParameters
{
    /// <summary>Gets or sets the state to list: ENABLED or DISABLED. Webhooks the user disabled are listed only when asked for.</summary>
    [FromQuery(Name = "state")]
    [Description("Lists only webhooks in this state: ENABLED or DISABLED. Webhooks the user disabled are listed only when a state or status filter asks for them.")]
    public string? State { get; set; }

    /// <summary>Gets or sets the status to list: PENDING, ACTIVE, WARNING, ERROR or DISABLED.</summary>
    [FromQuery(Name = "status")]
    [Description("Lists only webhooks with this status: PENDING, ACTIVE, WARNING, ERROR or DISABLED.")]
    public string? Status { get; set; }

    /// <summary>Gets or sets the place in the list to list from: the <c>next</c> of the page before.</summary>
    [FromQuery(Name = "after")]
    [Description("Lists the webhooks after the page this is the 'next' of. Unlike an offset, it neither repeats nor skips webhooks when some are created or deleted between two pages; an offset counts from it.")]
    public string? After { get; set; }
}
