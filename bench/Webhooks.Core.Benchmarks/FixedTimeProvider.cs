namespace Webhooks.Core.Benchmarks;

/// <summary>A clock that always answers the same instant, so verification benchmarks stay inside the tolerance.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
