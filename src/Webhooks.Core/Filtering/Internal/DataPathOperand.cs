using System.Text;
using System.Text.Json;

namespace Webhooks.Core.Internal;

/// <summary>A property path into the event data, such as <c>new/name</c>; its names are encoded as UTF-8 once.</summary>
internal sealed class DataPathOperand : FilterOperand
{
    private readonly byte[][] _segments;

    /// <summary>Initializes a new instance of the <see cref="DataPathOperand"/> class.</summary>
    /// <param name="segments">The property names, outermost first.</param>
    public DataPathOperand(IReadOnlyList<string> segments)
    {
        _segments = [.. segments.Select(Encoding.UTF8.GetBytes)];
    }

    /// <inheritdoc/>
    public override FilterValue Resolve(in FilterScope scope, ref TextScratch scratch)
    {
        var current = scope.Data;
        foreach (var segment in _segments)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out current))
            {
                return default; // missing: null
            }
        }

        return FilterValue.FromJson(current);
    }
}
