namespace Webhooks.Core.Internal;

/// <summary><c>not</c> and its operand.</summary>
/// <param name="Start">The index of the node's first character.</param>
/// <param name="End">The index just after the node's last character.</param>
/// <param name="Operand">The negated expression.</param>
internal sealed record NotNode(int Start, int End, FilterNode Operand) : FilterNode(Start, End);
