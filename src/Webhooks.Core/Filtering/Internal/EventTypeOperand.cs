namespace Webhooks.Core.Internal;

/// <summary>The property <c>type</c>: the event type.</summary>
internal sealed class EventTypeOperand : FilterOperand
{
    private EventTypeOperand()
    {
    }

    /// <summary>Gets the only instance.</summary>
    public static EventTypeOperand Instance { get; } = new();

    /// <inheritdoc/>
    public override FilterValue Resolve(in FilterScope scope, ref TextScratch scratch) => FilterValue.FromText(scope.EventType);
}
