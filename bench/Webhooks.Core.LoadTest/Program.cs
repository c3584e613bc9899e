// End-to-end load harness: N events through the whole engine to a local Kestrel receiver, against the same number
// of signed requests sent by a bare HttpClient loop in the same run; then publish->first-attempt latency at a paced
// 1,000 events/s. The last line printed is one JSON object. A third side, the same events queued in memory and sent
// by as many workers (no store), shows what the hand-off to background senders costs by itself (queuedRatio).
//
//   dotnet run -c Release --project bench/Webhooks.Core.LoadTest -- --store memory --events 50000
//
// Options: --concurrency N (64, both sides), --publishers N (as many as --concurrency), --rounds N (3), --rate N and
// --seconds N (the paced phase, 1000/s for 10 s), --store postgres with --connection "<npgsql connection string>".
// Diagnostics: --engine-only (no HTTP), --publish-only (no dispatcher), --allocations (top allocating types),
// --marks (each measured run's start and end on the monotonic clock, for `perf report --time`),
// --transport (a fourth side: the bare loop's requests sent through the engine's transport, without the engine),
// --raw-json (events given as JSON text, which the engine validates, instead of serialized from objects).
using System.Diagnostics;
using System.Runtime;
using System.Text.Json;
using Webhooks.Core;
using Webhooks.Core.LoadTest;

var settings = LoadTestSettings.Parse(args);
if (settings.EngineOnly)
{
    await EngineOnly.RunAsync(settings);
    return;
}

await using var receiver = await CountingReceiver.StartAsync();
Console.WriteLine($"store={settings.Store} events={settings.Events} concurrency={settings.Concurrency} publishers={settings.Publishers} receiver={receiver.Url}");

var raw = new RawHttpLoop(receiver, settings.Concurrency);
var queued = new QueuedHttpLoop(receiver, settings.Concurrency, settings.Publishers);
await using var engine = await EngineUnderTest.StartAsync(settings, receiver);

var transportLoop = settings.TransportLoop ? new TransportLoop(receiver, engine.Services.GetRequiredService<IDeliveryTransport>(), settings.Concurrency) : null;

// Warm every side up with unmeasured runs until the JIT is done with it: tiered compilation reaches its final code
// only after many calls, and slowly while the cores are busy. Publishing runs for a fraction of an engine run, so the
// publish path's last tier comes only in the second or third. Then alternate the measured runs and keep each side's
// best, so a noisy neighbour hurts every side alike.
await WarmUpAsync("bare loop", () => raw.RunAsync(Payloads.OrderBodies(settings.Events)));
await WarmUpAsync("engine", () => engine.RunAsync(engine.PrepareEvents(settings.Events)));
await WarmUpAsync("queued", () => queued.RunAsync(engine.PrepareEvents(settings.Events)));
if (transportLoop is not null)
{
    await WarmUpAsync("transport", () => transportLoop.RunAsync(Payloads.OrderBodies(settings.Events)));
}

using var sampler = settings.SampleAllocations ? new AllocationSampler() : null;
double rawBest = 0, queuedBest = 0, engineBest = 0;
for (var round = 1; round <= settings.Rounds; round++)
{
    if (round == settings.Rounds)
    {
        sampler?.Start();
    }

    var bodies = Payloads.OrderBodies(settings.Events);
    var (rawRate, rawCost) = await RunMeasured("bare loop", () => raw.RunAsync(bodies));
    if (round == settings.Rounds)
    {
        Console.WriteLine("bare loop:");
        sampler?.PrintTop(30, settings.Events);
    }

    var queuedEvents = engine.PrepareEvents(settings.Events);
    var (queuedRate, queuedCost) = await RunMeasured("queued", () => queued.RunAsync(queuedEvents));
    if (transportLoop is not null)
    {
        var transportBodies = Payloads.OrderBodies(settings.Events);
        var (transportRate, transportCost) = await RunMeasured("transport", () => transportLoop.RunAsync(transportBodies));
        Console.WriteLine($"round {round}: the bare loop's requests through the engine's transport {transportRate,10:N0}/s (ratio {transportRate / rawRate:0.000})");
        Console.WriteLine($"         per delivery, receiver included: transport {transportCost}");
    }

    var events = engine.PrepareEvents(settings.Events);
    if (round == settings.Rounds)
    {
        sampler?.Start();
    }

    var (engineRate, engineCost) = await RunMeasured("engine", () => engine.RunAsync(events));
    Console.WriteLine($"round {round}: bare HttpClient loop {rawRate,10:N0}/s   queued in memory {queuedRate,10:N0}/s (ratio {queuedRate / rawRate:0.000})   engine ({settings.Store}) {engineRate,10:N0}/s   ratio {engineRate / rawRate:0.000}");
    Console.WriteLine($"         per delivery, receiver included: bare loop {rawCost}");
    Console.WriteLine($"                                          queued    {queuedCost}");
    Console.WriteLine($"                                          engine    {engineCost}");
    if (round == settings.Rounds)
    {
        Console.WriteLine("engine:");
        sampler?.PrintTop(30, settings.Events);
    }

    rawBest = Math.Max(rawBest, rawRate);
    queuedBest = Math.Max(queuedBest, queuedRate);
    engineBest = Math.Max(engineBest, engineRate);
}

// A p99 far above the p50 comes from stalls: the GC's pauses are printed, so that one can tell them from the machine's.
var pausedBefore = GC.GetTotalPauseDuration();
int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
var latency = await engine.MeasureLatencyAsync(settings.PacedRate, settings.PacedSeconds);
var pacedGcs = string.Join('/', collectionsBefore.Select((c, g) => GC.CollectionCount(g) - c));
Console.WriteLine(
    $"paced {settings.PacedRate}/s for {settings.PacedSeconds} s: {latency.Count} deliveries, publish->first attempt p50 {latency.P50:0.00} ms, p99 {latency.P99:0.00} ms, max {latency.Max:0.00} ms; " +
    $"GC paused {(GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds:0} ms ({pacedGcs} GCs of gen 0/1/2)");

var summary = new
{
    store = settings.Store,
    deliveries = settings.Events,
    perSecond = Math.Round(engineBest, 1),
    rawPerSecond = Math.Round(rawBest, 1),
    ratio = Math.Round(engineBest / rawBest, 3),
    queuedRatio = Math.Round(queuedBest / rawBest, 3),
    p50Ms = Math.Round(latency.P50, 2),
    p99Ms = Math.Round(latency.P99, 2),
};
Console.WriteLine(JsonSerializer.Serialize(summary));

// Runs one side until a run compiles no more than a few methods (at most eight runs), and says how many it took. Each
// method the JIT compiles while a side is measured costs that side a few milliseconds of a core. The runs are measured
// and the figures dropped, so that the measuring code is compiled to its last tier here too: called twice a run, it
// otherwise went on being compiled in the background during the measured runs (some 50 methods in 30-50 ms a run).
async Task WarmUpAsync(string side, Func<Task<double>> run)
{
    const int MaxRuns = 8, Settled = 10;
    int runs = 0, compiled;
    do
    {
        var before = JitInfo.GetCompiledMethodCount();
        await RunMeasured(side, run);
        compiled = (int)(JitInfo.GetCompiledMethodCount() - before);
        runs++;
    }
    while (compiled > Settled && runs < MaxRuns);

    Console.WriteLine($"warm-up: {side} {runs} run(s), the last compiling {compiled} methods");
}

// The process's CPU time and allocations per delivery: steadier than rates on a shared machine.
async Task<(double Rate, string Cost)> RunMeasured(string side, Func<Task<double>> run)
{
    // Start from a collected heap, as BenchmarkDotNet does between iterations: the events prepared for this run are
    // then old, and the garbage the previous side left is not collected in this side's time.
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var allocated = GC.GetTotalAllocatedBytes();
    var faults = MinorPageFaults();
    var switches = ContextSwitches();
    var paused = GC.GetTotalPauseDuration();
    int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    var items = ThreadPool.CompletedWorkItemCount;
    var contentions = Monitor.LockContentionCount;
    var compiled = JitInfo.GetCompiledMethodCount();
    var compiling = JitInfo.GetCompilationTime();
    var startedAt = Stopwatch.GetTimestamp();
    var rate = await run();
    if (settings.Marks)
    {
        // Stopwatch reads CLOCK_MONOTONIC on Linux, the clock of `perf record -k CLOCK_MONOTONIC`.
        Console.WriteLine(FormattableString.Invariant($"mark: {side} ran from {startedAt / (double)Stopwatch.Frequency:0.000000} to {Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency:0.000000}"));
    }

    var itemsPer = (double)(ThreadPool.CompletedWorkItemCount - items) / settings.Events;
    var contentionsPer = (double)(Monitor.LockContentionCount - contentions) / settings.Events;
    var jitted = $"{JitInfo.GetCompiledMethodCount() - compiled} methods compiled in {(JitInfo.GetCompilationTime() - compiling).TotalMilliseconds:0} ms";
    var gcs = string.Join('/', collections.Select((c, g) => GC.CollectionCount(g) - c));
    var pausedShare = (GC.GetTotalPauseDuration() - paused).TotalSeconds * rate / settings.Events;
    var faultsPer = (double)(MinorPageFaults() - faults) / settings.Events;
    var switchesPer = (double)(ContextSwitches() - switches) / settings.Events;
    var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    var cpuPer = cpuUsed.TotalMicroseconds / settings.Events;
    var coresBusy = cpuUsed.TotalSeconds * rate / settings.Events;
    var allocatedPer = (GC.GetTotalAllocatedBytes() - allocated) / settings.Events;
    return (rate, $"CPU {cpuPer,5:0.0} us ({coresBusy:0.00} cores busy), {allocatedPer,6:N0} B, {faultsPer:0.00} page faults, {switchesPer:0.00} context switches, GC paused {pausedShare:P0} of the time ({gcs} GCs of gen 0/1/2), {itemsPer:0.00} thread pool work items, {contentionsPer:0.000} lock contentions, {ThreadPool.ThreadCount} pool threads, {jitted}");
}

// Fresh memory costs a page fault and a zeroed page: on Linux, count them from /proc.
static long MinorPageFaults() =>
    File.Exists("/proc/self/stat") ? long.Parse(File.ReadAllText("/proc/self/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[7]) : 0;

// Each wake-up of a sleeping thread is a context switch: summed over the process's threads (on Linux).
static long ContextSwitches() =>
    Directory.Exists("/proc/self/task")
        ? Directory.EnumerateDirectories("/proc/self/task").Sum(static task =>
        {
            try
            {
                return File.ReadLines(Path.Combine(task, "status"))
                    .Where(static line => line.Contains("ctxt_switches", StringComparison.Ordinal))
                    .Sum(static line => long.Parse(line.Split(':')[1]));
            }
            catch (IOException)
            {
                return 0L; // The thread ended meanwhile.
            }
        })
        : 0;
