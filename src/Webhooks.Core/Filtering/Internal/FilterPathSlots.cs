namespace Webhooks.Core.Internal;

/// <summary>
/// Chooses which path prefixes an evaluation remembers: those that more than one property of the filter goes
/// through, such as <c>new</c> in <c>new/state ne 'OK' and contains(new/name, 'prod')</c>, up to <see cref="MaxSlots"/>.
/// </summary>
internal sealed class FilterPathSlots
{
    /// <summary>How many prefixes one evaluation remembers at most.</summary>
    public const int MaxSlots = 8;

    // Each prefix is known by a number, given by its parent prefix's number (-1 for none) and its last segment: a path of
    // n segments costs n lookups, not the n prefixes spelled out (which grow with the square of its length).
    private readonly Dictionary<(int Parent, string Segment), int> _prefixes = [];
    private readonly List<int> _uses = [];
    private readonly Dictionary<int, int> _slots = [];

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
                var parent = -1;
                foreach (var segment in property.Segments)
                {
                    parent = Prefix(parent, segment);
                    _uses[parent]++;
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
        var prefix = -1;
        for (var i = 0; i < segments.Count; i++)
        {
            prefix = Prefix(prefix, segments[i]);
            if (!_slots.TryGetValue(prefix, out var slot))
            {
                slot = _uses[prefix] > 1 && _slots.Count < MaxSlots ? _slots.Count : -1;
                if (slot >= 0)
                {
                    _slots.Add(prefix, slot);
                }
            }

            slots[i] = slot;
        }

        return slots;
    }

    /// <summary>Gets the number of the prefix <paramref name="parent"/> followed by <paramref name="segment"/>.</summary>
    private int Prefix(int parent, string segment)
    {
        if (!_prefixes.TryGetValue((parent, segment), out var prefix))
        {
            prefix = _prefixes.Count;
            _prefixes.Add((parent, segment), prefix);
            _uses.Add(0);
        }

        return prefix;
    }
}
