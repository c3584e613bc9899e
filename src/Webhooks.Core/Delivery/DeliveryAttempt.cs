namespace Webhooks.Core;

/// <summary>The record of one delivery attempt.</summary>
public sealed record DeliveryAttempt
{
    /// <summary>Gets the attempt number, starting at 1.</summary>
    public int Number { get; init; }

    /// <summary>Gets when the attempt started.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the URL the attempt was sent to.</summary>
    public required string Url { get; init; }

    /// <summary>Gets the HTTP status code, or <see langword="null"/> when no answer came.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Gets how long the attempt took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets the start of the response body, truncated to the configured limit.</summary>
    public string? ResponseBody { get; init; }

    /// <summary>Gets what went wrong, when the attempt failed without an answer or with a non-2xx one.</summary>
    public string? Error { get; init; }

    /// <summary>Gets a value indicating whether the receiver answered 2xx.</summary>
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
