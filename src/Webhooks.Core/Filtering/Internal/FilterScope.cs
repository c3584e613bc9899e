using System.Text.Json;

namespace Webhooks.Core.Internal;

/// <summary>The event a filter is evaluated against.</summary>
/// <param name="eventType">The event type, which <c>type</c> resolves to.</param>
/// <param name="data">The event data, which every other property path resolves into.</param>
internal readonly struct FilterScope(string eventType, JsonElement data)
{
    /// <summary>Gets the event type.</summary>
    public string EventType { get; } = eventType;

    /// <summary>Gets the event data; a default element when there is none.</summary>
    public JsonElement Data { get; } = data;
}
