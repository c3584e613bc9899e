namespace Webhooks.Core.Internal;

/// <summary><c>x in (...)</c> or <c>x in [...]</c>.</summary>
/// <param name="Start">The index of the node's first character.</param>
/// <param name="End">The index just after the node's last character.</param>
/// <param name="Operand">The value looked for.</param>
/// <param name="Items">The literals it may equal; at least one.</param>
internal sealed record InNode(int Start, int End, FilterNode Operand, IReadOnlyList<FilterLiteral> Items) : FilterNode(Start, End);
