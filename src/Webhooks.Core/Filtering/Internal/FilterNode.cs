namespace Webhooks.Core.Internal;

/// <summary>A node of the syntax tree the parser builds and the compiler turns into a predicate.</summary>
/// <param name="Start">The index of the node's first character.</param>
/// <param name="End">The index just after the node's last character.</param>
internal abstract record FilterNode(int Start, int End);
