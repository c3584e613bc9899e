// End-to-end load harness: N events through the whole engine to a local Kestrel receiver, against the same number
// of signed requests sent by a bare HttpClient loop in the same run; then publish->first-attempt latency at a paced
// 1,000 events/s. The last line printed is one JSON object.
//
//   dotnet run -c Release --project bench/Webhooks.Core.LoadTest -- --store memory --events 50000
using System.Text.Json;
using Webhooks.Core.LoadTest;

var settings = LoadTestSettings.Parse(args);
await using var receiver = await CountingReceiver.StartAsync();
Console.WriteLine($"store={settings.Store} events={settings.Events} concurrency={settings.Concurrency} receiver={receiver.Url}");

var raw = new RawHttpLoop(receiver, settings.Concurrency);
await using var engine = await EngineUnderTest.StartAsync(settings, receiver);

// Warm both paths up (JIT, connection pools), then alternate the measured runs and keep each side's best,
// so a noisy neighbour hurts both sides alike.
await raw.RunAsync(Math.Min(2_000, settings.Events));
await engine.RunAsync(Math.Min(2_000, settings.Events));
double rawBest = 0, engineBest = 0;
for (var round = 1; round <= settings.Rounds; round++)
{
    var rawRate = await raw.RunAsync(settings.Events);
    var engineRate = await engine.RunAsync(settings.Events);
    Console.WriteLine($"round {round}: bare HttpClient loop {rawRate,10:N0}/s   engine ({settings.Store}) {engineRate,10:N0}/s   ratio {engineRate / rawRate:0.000}");
    rawBest = Math.Max(rawBest, rawRate);
    engineBest = Math.Max(engineBest, engineRate);
}

var latency = await engine.MeasureLatencyAsync(settings.PacedRate, settings.PacedSeconds);
Console.WriteLine($"paced {settings.PacedRate}/s for {settings.PacedSeconds} s: {latency.Count} deliveries, publish->first attempt p50 {latency.P50:0.00} ms, p99 {latency.P99:0.00} ms, max {latency.Max:0.00} ms");

var summary = new
{
    store = settings.Store,
    deliveries = settings.Events,
    perSecond = Math.Round(engineBest, 1),
    rawPerSecond = Math.Round(rawBest, 1),
    ratio = Math.Round(engineBest / rawBest, 3),
    p50Ms = Math.Round(latency.P50, 2),
    p99Ms = Math.Round(latency.P99, 2),
};
Console.WriteLine(JsonSerializer.Serialize(summary));
