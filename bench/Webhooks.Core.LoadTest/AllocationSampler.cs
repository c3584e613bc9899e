using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Webhooks.Core.LoadTest;

/// <summary>
/// Diagnostic (<c>--allocations</c>): samples the runtime's allocation ticks (one per ~100 KB allocated) in-process
/// and prints the types that allocate most, to show where the engine's bytes per message go.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public void Start()
    {
        _bytesByType.Clear();
        _recording = true;
    }

    public void PrintTop(int count, long deliveries)
    {
        _recording = false;
        var total = _bytesByType.Values.Sum();
        Console.WriteLine($"allocation samples: {total / Math.Max(1, deliveries):N0} B per delivery; top types:");
        foreach (var (type, bytes) in _bytesByType.OrderByDescending(p => p.Value).Take(count))
        {
            Console.WriteLine($"  {bytes / Math.Max(1, deliveries),7:N0} B  {100.0 * bytes / total,5:0.0} %  {type}");
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_recording || eventData.EventName != "GCAllocationTick_V4" || eventData.Payload is not { } payload)
        {
            return;
        }

        var names = eventData.PayloadNames!;
        var type = payload[names.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(payload[names.IndexOf("AllocationAmount64")]);
        _bytesByType.AddOrUpdate(type, amount, (_, current) => current + amount);
    }
}
