using System.Diagnostics;

namespace Webhooks.Core.Internal;

/// <summary>
/// What deliveries carry of the current activity: the W3C trace context (<c>traceparent</c>, <c>tracestate</c>), so
/// that a receiver can join the trace, and not its baggage. Baggage is the host's (a caller's user id, a gateway's tags,
/// flowing in from the API request that ran a test), and a receiver is a third party.
/// </summary>
internal sealed class TraceContextPropagator : DistributedContextPropagator
{
    private const string TraceParent = "traceparent";
    private const string TraceState = "tracestate";

    private static readonly DistributedContextPropagator Reader = CreateDefaultPropagator();

    public static TraceContextPropagator Instance { get; } = new();

    public override IReadOnlyCollection<string> Fields { get; } = [TraceParent, TraceState];

    /// <summary>Whether <paramref name="name"/> is a header this propagator writes (any case).</summary>
    public static bool IsField(string name) =>
        string.Equals(name, TraceParent, StringComparison.OrdinalIgnoreCase) || string.Equals(name, TraceState, StringComparison.OrdinalIgnoreCase);

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter)
    {
        // A W3C activity's id is its traceparent; one in the older hierarchical format has none to send.
        if (activity is not { IdFormat: ActivityIdFormat.W3C, Id: { } id } || setter is null)
        {
            return;
        }

        setter(carrier, TraceParent, id);
        if (!string.IsNullOrEmpty(activity.TraceStateString))
        {
            setter(carrier, TraceState, activity.TraceStateString);
        }
    }

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState) =>
        Reader.ExtractTraceIdAndState(carrier, getter, out traceId, out traceState);

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) => null;
}
