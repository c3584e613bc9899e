using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>The query of <c>GET {prefix}/{id}/messages</c>.</summary>
internal sealed class MessageListParameters : PageParameters
{
    /// <summary>Gets or sets the status to list: CREATED, RETRYING, SUCCESS, FAILED or CANCELLED.</summary>
    [FromQuery(Name = "status")]
    [Description("Lists only messages with this status: CREATED, RETRYING, SUCCESS, FAILED or CANCELLED.")]
    public string? Status { get; set; }

    /// <summary>Gets or sets the event type to list, matched exactly.</summary>
    [FromQuery(Name = "eventType")]
    [Description("Lists only messages of this event type, matched exactly.")]
    public string? EventType { get; set; }

    /// <summary>Gets or sets the place in the log to list from: the <c>next</c> of the page before.</summary>
    [FromQuery(Name = "after")]
    [Description("Lists the messages after the page this is the 'next' of. Unlike an offset, it neither repeats nor skips messages when new ones arrive between two pages; an offset counts from it.")]
    public string? After { get; set; }
}
