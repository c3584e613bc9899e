namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>The <c>last_attempt</c> column of a message.</summary>
internal sealed record AttemptDocument
{
    public int Number { get; init; }

    public DateTimeOffset Timestamp { get; init; }

    public required string Url { get; init; }

    public int? StatusCode { get; init; }

    public long DurationTicks { get; init; }

    public string? ResponseBody { get; init; }

    public string? Error { get; init; }
}
