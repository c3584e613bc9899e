using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Webhooks.Core.Internal;

/// <summary>Limits how often one webhook may be enabled (HPE: 5 times per 15 minutes). Counted per process.</summary>
internal sealed class EnableRateLimiter(IOptions<WebhooksOptions> options)
{
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _enables = new(StringComparer.Ordinal);

    public bool TryAcquire(string webhookId, DateTimeOffset now)
    {
        var limit = options.Value.EnableRateLimit;
        var period = options.Value.EnableRateLimitPeriod;
        var times = _enables.GetOrAdd(webhookId, static _ => new Queue<DateTimeOffset>());
        lock (times)
        {
            while (times.Count > 0 && now - times.Peek() >= period)
            {
                times.Dequeue();
            }

            if (times.Count >= limit)
            {
                return false;
            }

            times.Enqueue(now);
            return true;
        }
    }

    public void Forget(string webhookId) => _enables.TryRemove(webhookId, out _);
}
