namespace Webhooks.Core.Internal;

/// <summary>A chain of <c>and</c> or of <c>or</c>, kept flat so that long chains do not nest.</summary>
/// <param name="Start">The index of the node's first character.</param>
/// <param name="End">The index just after the node's last character.</param>
/// <param name="IsAnd">Whether the operands are joined by <c>and</c> (rather than <c>or</c>).</param>
/// <param name="Operands">Two or more operands, in order.</param>
internal sealed record LogicalNode(int Start, int End, bool IsAnd, IReadOnlyList<FilterNode> Operands) : FilterNode(Start, End);
