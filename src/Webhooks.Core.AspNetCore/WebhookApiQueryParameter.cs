namespace Webhooks.Core.AspNetCore;

/// <summary>
/// Describes a query parameter of the management API as the API reads it, in the terms of JSON Schema. The listing
/// routes carry one per parameter in their endpoint metadata.
/// </summary>
/// <remarks>
/// The API binds its query parameters as text, so that a wrong value gets a problem that names the parameter rather
/// than a bare 400; an OpenAPI generator therefore sees every one of them as a string. A document transformer can type
/// them from this metadata: the API sample does so for <c>Microsoft.AspNetCore.OpenApi</c>.
/// </remarks>
public sealed record WebhookApiQueryParameter
{
    /// <summary>Gets the parameter's name in the query string, such as <c>limit</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the JSON Schema type of the value: <c>string</c> or <c>integer</c>.</summary>
    public required string Type { get; init; }

    /// <summary>Gets the JSON Schema format of the value, such as <c>date-time</c> or <c>int32</c>, if it has one.</summary>
    public string? Format { get; init; }

    /// <summary>Gets the smallest value allowed, for an integer.</summary>
    public long? Minimum { get; init; }

    /// <summary>Gets the largest value allowed, for an integer.</summary>
    public long? Maximum { get; init; }

    /// <summary>Gets the value used when the parameter is absent, for an integer.</summary>
    public long? Default { get; init; }

    /// <summary>Gets the values allowed, for a string that names one of them (an enum's wire names); empty for any string.</summary>
    public IReadOnlyList<string> AllowedValues { get; init; } = [];
}
