using System.Collections.Concurrent;

namespace Webhooks.Core.AspNetCore.Tests.Receiving;

/// <summary>A guard as a shared store would keep it: first writer of a key wins.</summary>
internal sealed class DictionaryReplayGuard : IWebhookReplayGuard
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _recorded = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, DateTimeOffset> Recorded => _recorded;

    public ValueTask<bool> TryRecordAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        new(_recorded.TryAdd(key, expiresAt));
}
