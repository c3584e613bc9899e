using System.Text;
using System.Text.Json;

namespace Webhooks.Core.Internal;

/// <summary>
/// A property path into the event data, such as <c>new/name</c>. Its names are encoded as UTF-8 once; prefixes
/// other paths share are looked up once per evaluation and remembered in the scope.
/// </summary>
internal sealed class DataPathOperand : FilterOperand
{
    private readonly byte[][] _segments;
    private readonly int[] _slots;

    /// <summary>Initializes a new instance of the <see cref="DataPathOperand"/> class.</summary>
    /// <param name="segments">The property names, outermost first.</param>
    /// <param name="slots">For each name, the scope slot remembering the prefix that ends there, or -1.</param>
    public DataPathOperand(IReadOnlyList<string> segments, int[] slots)
    {
        _segments = [.. segments.Select(Encoding.UTF8.GetBytes)];
        _slots = slots;
    }

    /// <inheritdoc/>
    public override FilterValue Resolve(in FilterScope scope, ref TextScratch scratch) => FilterValue.FromJson(ResolveElement(scope));

    /// <summary>Looks the path up in the event data.</summary>
    /// <param name="scope">The event.</param>
    /// <returns>The element; an undefined one when a property on the way is missing.</returns>
    public JsonElement ResolveElement(in FilterScope scope)
    {
        var current = scope.Data;
        for (var i = 0; i < _segments.Length; i++)
        {
            var slot = _slots[i];
            if (slot >= 0 && scope.Paths[slot].IsResolved)
            {
                current = scope.Paths[slot].Element;
                continue;
            }

            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(_segments[i], out current))
            {
                current = default;
            }

            if (slot >= 0)
            {
                scope.Paths[slot] = new ResolvedPath(current);
            }
        }

        return current;
    }
}
