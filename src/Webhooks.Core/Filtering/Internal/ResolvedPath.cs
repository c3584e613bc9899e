using System.Text.Json;

namespace Webhooks.Core.Internal;

/// <summary>A path prefix looked up once during an evaluation, so that <c>new/name</c> and <c>new/state</c> find <c>new</c> once.</summary>
/// <param name="element">What the prefix resolved to; undefined when it is missing.</param>
internal readonly struct ResolvedPath(JsonElement element)
{
    /// <summary>Gets what the prefix resolved to.</summary>
    public JsonElement Element { get; } = element;

    /// <summary>Gets a value indicating whether the prefix has been looked up.</summary>
    public bool IsResolved { get; } = true;
}
