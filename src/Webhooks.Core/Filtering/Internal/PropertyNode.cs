namespace Webhooks.Core.Internal;

/// <summary>A property path such as <c>new/name</c>.</summary>
/// <param name="Start">The index of the node's first character.</param>
/// <param name="End">The index just after the node's last character.</param>
/// <param name="Segments">The names between the slashes.</param>
internal sealed record PropertyNode(int Start, int End, IReadOnlyList<string> Segments) : FilterNode(Start, End);
