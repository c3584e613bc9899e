namespace Webhooks.Core.Internal;

/// <summary>A function call such as <c>contains(a, b)</c>.</summary>
/// <param name="Start">The index of the node's first character.</param>
/// <param name="End">The index just after the node's last character.</param>
/// <param name="Function">The function.</param>
/// <param name="Arguments">The arguments, as many as the function takes.</param>
internal sealed record CallNode(int Start, int End, FilterFunction Function, IReadOnlyList<FilterNode> Arguments) : FilterNode(Start, End);
