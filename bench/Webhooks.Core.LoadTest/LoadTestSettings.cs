namespace Webhooks.Core.LoadTest;

internal sealed record LoadTestSettings(string Store, int Events, int Concurrency, int Publishers, int Rounds, int PacedRate, int PacedSeconds, string? ConnectionString, bool EngineOnly, bool PublishOnly, bool SampleAllocations, bool TransportLoop, bool RawJson, bool Marks)
{
    public static LoadTestSettings Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        var store = Value("--store", "memory");
        if (store is not ("memory" or "postgres"))
        {
            throw new ArgumentException($"--store must be 'memory' or 'postgres', not '{store}'.");
        }

        return new LoadTestSettings(
            store,
            int.Parse(Value("--events", "50000")),
            int.Parse(Value("--concurrency", "64")),

            // The engine is fed by as many concurrent publishers as the bare loop has workers, unless told otherwise.
            int.Parse(Value("--publishers", Value("--concurrency", "64"))),
            int.Parse(Value("--rounds", "3")),
            int.Parse(Value("--rate", "1000")),
            int.Parse(Value("--seconds", "10")),
            Value("--connection", Environment.GetEnvironmentVariable("WEBHOOKS_POSTGRES") ?? string.Empty) is { Length: > 0 } cs ? cs : null,
            args.Contains("--engine-only") || args.Contains("--publish-only"),
            args.Contains("--publish-only"),
            args.Contains("--allocations"),
            args.Contains("--transport"),
            args.Contains("--raw-json"),
            args.Contains("--marks"));
    }
}
