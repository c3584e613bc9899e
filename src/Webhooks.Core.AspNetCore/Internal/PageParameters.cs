using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>
/// The creation-time range and paging of a listing's query; bound as text so that wrong values get a problem
/// naming the parameter instead of a bare 400.
/// </summary>
internal abstract class PageParameters
{
    /// <summary>Gets or sets the earliest creation time, inclusive (RFC 3339).</summary>
    [FromQuery(Name = "createdFrom")]
    [Description("Lists only items created at or after this time (RFC 3339, for example 2025-01-31T08:00:00Z).")]
    public string? CreatedFrom { get; set; }

    /// <summary>Gets or sets the latest creation time, exclusive (RFC 3339).</summary>
    [FromQuery(Name = "createdTo")]
    [Description("Lists only items created before this time (RFC 3339).")]
    public string? CreatedTo { get; set; }

    /// <summary>Gets or sets how many items to skip.</summary>
    [FromQuery(Name = "offset")]
    [Description("How many items to skip: an integer of at least 0. Default 0.")]
    public string? Offset { get; set; }

    /// <summary>Gets or sets the page size.</summary>
    [FromQuery(Name = "limit")]
    [Description("The page size: an integer from 1 to the largest page size the API allows (100 unless the host sets another).")]
    public string? Limit { get; set; }
}
