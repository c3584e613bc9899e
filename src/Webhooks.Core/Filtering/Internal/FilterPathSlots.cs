namespace Webhooks.Core.Internal;

/// <summary>
/// Chooses which path prefixes an evaluation remembers: those that more than one property of the filter goes
/// through, such as <c>new</c> in <c>new/state ne 'OK' and contains(new/name, 'prod')</c>, up to <see cref="MaxSlots"/>.
/// </summary>
internal sealed class FilterPathSlots
{
    /// <summary>How many prefixes one evaluation remembers at most.</summary>
    public const int MaxSlots = 8;

    private readonly Dictionary<string, int> _uses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);

    /// <summary>Gets how many slots were handed out.</summary>
    public int SlotCount => _slots.Count;

    /// <summary>Counts the prefixes of every data path in a syntax tree.</summary>
    /// <param name="node">The tree.</param>
    public void CountUses(FilterNode node)
    {
        switch (node)
        {
            case LogicalNode logical:
                foreach (var operand in logical.Operands)
                {
                    CountUses(operand);
                }

                break;
            case NotNode not:
                CountUses(not.Operand);
                break;
            case ComparisonNode comparison:
                CountUses(comparison.Left);
                CountUses(comparison.Right);
                break;
            case InNode @in:
                CountUses(@in.Operand);
                break;
            case CallNode call:
                foreach (var argument in call.Arguments)
                {
                    CountUses(argument);
                }

                break;
            case PropertyNode property:
                for (var length = 1; length <= property.Segments.Count; length++)
                {
                    var key = Key(property.Segments, length);
                    _uses[key] = _uses.GetValueOrDefault(key) + 1;
                }

                break;
        }
    }

    /// <summary>Gets the slot of each prefix of a path, once <see cref="CountUses"/> has seen the whole tree.</summary>
    /// <param name="segments">The path.</param>
    /// <returns>For each segment, the slot of the prefix ending there, or -1 when it is not remembered.</returns>
    public int[] SlotsOf(IReadOnlyList<string> segments)
    {
        var slots = new int[segments.Count];
        for (var length = 1; length <= segments.Count; length++)
        {
            var key = Key(segments, length);
            if (!_slots.TryGetValue(key, out var slot))
            {
                slot = _uses.GetValueOrDefault(key) > 1 && _slots.Count < MaxSlots ? _slots.Count : -1;
                if (slot >= 0)
                {
                    _slots.Add(key, slot);
                }
            }

            slots[length - 1] = slot;
        }

        return slots;
    }

    private static string Key(IReadOnlyList<string> segments, int length) => string.Join('/', segments.Take(length));
}
