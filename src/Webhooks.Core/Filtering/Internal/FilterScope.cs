using System.Text.Json;

namespace Webhooks.Core.Internal;

/// <summary>The event a filter is evaluated against, and the properties looked up in it so far.</summary>
/// <param name="eventType">The event type, which <c>type</c> resolves to.</param>
/// <param name="data">The event data, which every other property path resolves into.</param>
/// <param name="paths">The slots of the path prefixes the filter uses more than once; see <see cref="FilterPathSlots"/>.</param>
internal readonly ref struct FilterScope(string eventType, JsonElement data, Span<ResolvedPath> paths)
{
    /// <summary>Gets the event type.</summary>
    public string EventType { get; } = eventType;

    /// <summary>Gets the event data; a default element when there is none.</summary>
    public JsonElement Data { get; } = data;

    /// <summary>Gets the path prefixes resolved during this evaluation, by slot.</summary>
    public Span<ResolvedPath> Paths { get; } = paths;
}
