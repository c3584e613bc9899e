namespace Webhooks.Core.Internal;

/// <summary>A literal value.</summary>
/// <param name="Start">The index of the node's first character.</param>
/// <param name="End">The index just after the node's last character.</param>
/// <param name="Literal">The value.</param>
internal sealed record LiteralNode(int Start, int End, FilterLiteral Literal) : FilterNode(Start, End);
