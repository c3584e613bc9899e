using BenchmarkDotNet.Attributes;

namespace Webhooks.Core.Benchmarks;

/// <summary>Matching an event type against a webhook's patterns, where the last one matches.</summary>
[MemoryDiagnoser]
public class EventTypePatternBenchmarks
{
    private readonly IReadOnlyList<string> _patterns =
        ["compute-ops/job", "compute-ops/alert", "compute-ops/group", "firmware.*", "compute-ops/server.*"];

    [Benchmark]
    public bool MatchesAny() => EventTypePattern.MatchesAny(_patterns, "compute-ops/server.updated");

    [Benchmark]
    public bool MatchesAnyNone() => EventTypePattern.MatchesAny(_patterns, "compute-ops/server");
}
