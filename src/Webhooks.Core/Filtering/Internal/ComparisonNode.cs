namespace Webhooks.Core.Internal;

/// <summary>A comparison such as <c>a eq 1</c>.</summary>
/// <param name="Start">The index of the node's first character.</param>
/// <param name="End">The index just after the node's last character.</param>
/// <param name="Operator">The operator.</param>
/// <param name="Left">The left operand.</param>
/// <param name="Right">The right operand.</param>
internal sealed record ComparisonNode(int Start, int End, ComparisonOperator Operator, FilterNode Left, FilterNode Right) : FilterNode(Start, End);
