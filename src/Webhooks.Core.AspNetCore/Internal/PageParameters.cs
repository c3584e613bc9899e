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
    public string? CreatedFrom { get; set; }

    /// <summary>Gets or sets the latest creation time, exclusive (RFC 3339).</summary>
    [FromQuery(Name = "createdTo")]
    public string? CreatedTo { get; set; }

    /// <summary>Gets or sets how many items to skip.</summary>
    [FromQuery(Name = "offset")]
    public string? Offset { get; set; }

    /// <summary>Gets or sets the page size.</summary>
    [FromQuery(Name = "limit")]
    public string? Limit { get; set; }
}
