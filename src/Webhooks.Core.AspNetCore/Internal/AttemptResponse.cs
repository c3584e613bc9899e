namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>One delivery attempt as API callers see it.</summary>
internal sealed record AttemptResponse
{
    public int Number { get; init; }

    public DateTimeOffset Timestamp { get; init; }

    public required string Url { get; init; }

    public int? StatusCode { get; init; }

    public double DurationMs { get; init; }

    public string? ResponseBody { get; init; }

    public string? Error { get; init; }

    public bool Succeeded { get; init; }

    public static AttemptResponse From(DeliveryAttempt attempt) => new()
    {
        Number = attempt.Number,
        Timestamp = attempt.Timestamp,
        Url = attempt.Url,
        StatusCode = attempt.StatusCode,
        DurationMs = Math.Round(attempt.Duration.TotalMilliseconds, 3),
        ResponseBody = attempt.ResponseBody,
        Error = attempt.Error,
        Succeeded = attempt.Succeeded,
    };
}
