using System.Collections.Concurrent;

namespace Webhooks.Core.Internal;

/// <summary>Compiled filters by expression: each distinct expression is parsed once per process.</summary>
internal sealed class FilterCache
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<string, EventFilter> _filters = new(StringComparer.Ordinal);

    /// <summary>Returns the compiled filter; the expression was validated when the webhook was saved.</summary>
    public EventFilter Get(string expression)
    {
        if (_filters.TryGetValue(expression, out var filter))
        {
            return filter;
        }

        if (_filters.Count >= MaxEntries)
        {
            _filters.Clear();
        }

        return _filters.GetOrAdd(expression, static e => EventFilter.Parse(e));
    }
}
