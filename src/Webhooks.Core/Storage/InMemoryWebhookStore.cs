using System.Collections.Concurrent;
using Webhooks.Core.Internal;

namespace Webhooks.Core;

/// <summary>
/// The embedded <see cref="IWebhookStore"/>: configs and messages live in process memory and are lost when the process
/// ends. Safe for concurrent use, and made for millions of scheduled messages: claiming due messages costs the same
/// whether or not a million retries wait for later.
/// </summary>
/// <remarks>
/// <para>
/// Routing reads (<see cref="GetTenantConfigsAsync"/>) take no lock and allocate nothing: each tenant's configs are kept
/// as an immutable array that is rebuilt only when one of them changes.
/// </para>
/// <para>
/// Payloads are kept as given, not copied, so messages of one event can share its bytes: callers must not change the
/// bytes after enqueueing. (The engine's publisher writes the payloads of this store in shared blocks the collector
/// does not copy; a message that is to wait for a retry, or held, gets its payload out of its block.) Completions and
/// changes keep the stored identity of a message (id, webhook, tenant, event, creation time and payload) and take only
/// its delivery state from the message passed in.
/// </para>
/// <para>
/// An expired lease is released by the first claim made at or after its expiry; from then on, completing or renewing
/// it has no effect even if the message was not claimed again.
/// </para>
/// </remarks>
public sealed partial class InMemoryWebhookStore : IWebhookStore
{
    private readonly Lock _configLock = new();
    private readonly Dictionary<string, WebhookConfig> _configs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<TenantKey, WebhookConfig[]> _tenantConfigs = new();

    private readonly Lock _messageLock = new();
    private readonly Dictionary<string, MessageEntry> _messages = new(StringComparer.Ordinal);

    // How many stored messages each published event has: an event that has any is not published again.
    private readonly Dictionary<EventKey, int> _events = [];
    private readonly Dictionary<string, WebhookMessages> _webhookMessages = new(StringComparer.Ordinal);
    private readonly DueIndex _dueIndex = new();

    /// <summary>Initializes a new instance of the <see cref="InMemoryWebhookStore"/> class, empty, with the default options.</summary>
    public InMemoryWebhookStore()
        : this(new InMemoryStoreOptions())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InMemoryWebhookStore"/> class, empty.</summary>
    /// <param name="options">The options; read once.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="InMemoryStoreOptions.MaxFinishedMessages"/> is less than 1.</exception>
    public InMemoryWebhookStore(InMemoryStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxFinishedMessages, 1, "options.MaxFinishedMessages");
        _maxFinished = options.MaxFinishedMessages;
    }

    private static void ValidatePage(int offset, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
    }
}
