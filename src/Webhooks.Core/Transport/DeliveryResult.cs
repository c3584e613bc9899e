namespace Webhooks.Core;

/// <summary>How an endpoint answered one request.</summary>
public sealed record DeliveryResult
{
    /// <summary>Gets the HTTP status code, or <see langword="null"/> when no answer came.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Gets how long the request took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets the start of the response body, up to the configured limit.</summary>
    public string? ResponseBody { get; init; }

    /// <summary>Gets what went wrong when no answer came (timeout, refused address, connection error).</summary>
    public string? Error { get; init; }

    /// <summary>Gets the delay the endpoint asked for with <c>Retry-After</c> on 429 or 503.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets a value indicating whether the endpoint answered 2xx.</summary>
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
