using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Webhooks.Core.Internal;

/// <summary>Compiled filters by expression: each distinct expression is parsed once per process.</summary>
/// <param name="logger">Where a stored filter that does not parse is reported, once per expression.</param>
internal sealed class FilterCache(ILogger<FilterCache> logger)
{
    private const int MaxEntries = 100_000;

    // A stored expression that does not parse (saved under older rules, or written to the store directly) is kept as
    // null: it matches nothing, and the tenant's other webhooks still get their events.
    private readonly ConcurrentDictionary<string, EventFilter?> _filters = new(StringComparer.Ordinal);

    /// <summary>Returns the compiled filter of a webhook, or <see langword="null"/> when its stored expression does not parse.</summary>
    public EventFilter? Get(string webhookId, string expression)
    {
        if (_filters.TryGetValue(expression, out var filter))
        {
            return filter;
        }

        if (_filters.Count >= MaxEntries)
        {
            _filters.Clear();
        }

        if (!EventFilter.TryParse(expression, out filter, out var error))
        {
            Log.StoredFilterInvalid(logger, webhookId, error!.Message);
        }

        return _filters.GetOrAdd(expression, filter);
    }
}
