namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>A <see cref="HealthWindow"/> as stored.</summary>
internal sealed record HealthDocument
{
    public ulong Failures { get; init; }

    public int Count { get; init; }

    public int ConsecutiveFailures { get; init; }

    public int ConsecutiveSuccesses { get; init; }
}
