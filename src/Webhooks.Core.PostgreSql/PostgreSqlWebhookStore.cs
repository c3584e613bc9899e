using System.Transactions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Webhooks.Core.PostgreSql.Internal;

namespace Webhooks.Core.PostgreSql;

/// <summary>
/// A webhook store on PostgreSQL that several host instances can share: claims lease messages with
/// <c>FOR UPDATE SKIP LOCKED</c>, completions are guarded by the lease id, and instances wake each other with
/// <c>LISTEN/NOTIFY</c>. The schema is created and migrated before first use (see <see cref="PostgreSqlStoreOptions.AutoMigrate"/>).
/// </summary>
public sealed partial class PostgreSqlWebhookStore : IWebhookStore, IDueMessageNotifier, IAsyncDisposable, IDisposable
{
    /// <summary>
    /// The longest message id, webhook id, event id and tenant id the store accepts, in characters (UTF-16 code units):
    /// 256. Each is part of a btree index key, up to three at a time (a message's tenant, event and webhook ids), and
    /// PostgreSQL refuses an index entry over 2,704 bytes; at 256 characters (at most 3 bytes each in UTF-8) three of
    /// them take at most about 2,330 bytes. Writes with a longer
    /// one throw <see cref="ArgumentException"/> naming the field, before anything is stored. It equals
    /// <see cref="WebhookEvent.MaxKeyLength"/>, so every event the publisher accepts can be stored.
    /// </summary>
    public const int MaxIdLength = 256;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string _schema;
    private readonly string _schemaName;
    private readonly string _channel;
    private readonly bool _autoMigrate;
    private readonly SchemaMigrator _migrator;
    private readonly SemaphoreSlim _migration = new(1, 1);
    private readonly ConfigMapper _configs;
    private readonly ConfigCache _cache;
    private readonly NotificationListener _listener;
    private readonly CallbackList _dueCallbacks;
    private readonly CallbackList _outboxCallbacks;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly EnqueueCoalescer _enqueues;
    private readonly LocalHandOff _handOff;
    private volatile bool _migrated;
    private string? _claimSql;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlWebhookStore"/> class.</summary>
    /// <param name="options">The settings; <see cref="PostgreSqlStoreOptions.DataSource"/> or <see cref="PostgreSqlStoreOptions.ConnectionString"/> is required.</param>
    /// <param name="timeProvider">The clock for cache ages and retry delays; <see langword="null"/> for the system clock.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">Neither a data source nor a connection string is set, or a name is not a plain identifier.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <see cref="PostgreSqlStoreOptions.ConfigCacheMaxAge"/> is negative, or <see cref="PostgreSqlStoreOptions.ListenerReconnectDelay"/> is not
    /// positive or longer than a timer waits (49 days).
    /// </exception>
    public PostgreSqlWebhookStore(PostgreSqlStoreOptions options, TimeProvider? timeProvider = null, ILogger<PostgreSqlWebhookStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _schemaName = options.SchemaName;
        _schema = SqlIdentifier.Quote(options.SchemaName, nameof(options.SchemaName));
        _channel = options.NotificationChannel ?? DefaultChannel(options.SchemaName);
        SqlIdentifier.Validate(_channel, nameof(options.NotificationChannel));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ConfigCacheMaxAge, TimeSpan.Zero, nameof(options.ConfigCacheMaxAge));

        // The listener waits this long with a timer before each reconnect: 0 would reconnect in a tight loop while the
        // database is away, and a value a timer cannot take would end the listener at its first reconnect.
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ListenerReconnectDelay, TimeSpan.Zero, nameof(options.ListenerReconnectDelay));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(
            options.ListenerReconnectDelay, PostgreSqlStoreOptionsValidator.MaxTimerDuration, nameof(options.ListenerReconnectDelay));

        if (options.DataSource is { } dataSource)
        {
            _dataSource = dataSource;
        }
        else if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            _dataSource = BuildDataSource(options.ConnectionString);
            _ownsDataSource = true;
        }
        else
        {
            throw new ArgumentException("Set PostgreSqlStoreOptions.DataSource or PostgreSqlStoreOptions.ConnectionString.", nameof(options));
        }

        ILogger log = logger ?? (ILogger)NullLogger.Instance;
        _logger = log;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _autoMigrate = options.AutoMigrate;
        _migrator = new SchemaMigrator(_dataSource, options.SchemaName, log);
        _configs = new ConfigMapper(options.SecretProtector);
        _cache = new ConfigCache(options.ConfigCacheMaxAge);
        _dueCallbacks = new CallbackList(log);
        _outboxCallbacks = new CallbackList(log);
        _handOff = new LocalHandOff(_timeProvider);
        var sink = new NotificationSink(OnDue, _outboxCallbacks.Invoke, OnConfigChanged, OnReset, id => _handOff.Revoke(id, null));
        _enqueues = new EnqueueCoalescer(InsertMessagesAsync);
        _listener = new NotificationListener(_dataSource, _channel, options.ListenerReconnectDelay, _timeProvider, log, sink);
    }

    /// <summary>
    /// The schema name followed by <c>_notify</c>; for a schema name too long for that within an identifier's 63
    /// characters, its start, a hash of the whole and <c>_notify</c>, so that two long names sharing a start get
    /// channels of their own.
    /// </summary>
    internal static string DefaultChannel(string schemaName)
    {
        const string Suffix = "_notify";
        const int MaxIdentifier = 63;
        if (schemaName.Length + Suffix.Length <= MaxIdentifier)
        {
            return schemaName + Suffix;
        }

        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(schemaName)))[..8];
        return $"{schemaName[..(MaxIdentifier - Suffix.Length - hash.Length - 1)]}_{hash}{Suffix}";
    }

    /// <summary>Gets the schema holding the store's tables, quoted.</summary>
    internal string Schema => _schema;

    /// <summary>Gets the notification channel.</summary>
    internal string Channel => _channel;

    /// <summary>Gets the data source the store uses.</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

    /// <summary>Gets the store's clock.</summary>
    internal TimeProvider TimeProvider => _timeProvider;

    /// <summary>Creates the schema or brings it to the latest version. Safe to call from several instances at once.</summary>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await _migration.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await OutsideAmbientTransaction(() => _migrator.MigrateAsync(cancellationToken)).ConfigureAwait(false);
            _migrated = true;
        }
        finally
        {
            _migration.Release();
        }
    }

    /// <inheritdoc/>
    public IDisposable Subscribe(Action onDue)
    {
        ArgumentNullException.ThrowIfNull(onDue);
        var registration = _dueCallbacks.Add(onDue);
        _listener.EnsureStarted();
        return registration;
    }

    /// <summary>Stops the notification listener and, when the store built it, disposes the data source.</summary>
    public async ValueTask DisposeAsync()
    {
        // A container disposes the store once per registration that resolves it.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _listener.DisposeAsync().ConfigureAwait(false);
        await ReleaseHandedOffAsync().ConfigureAwait(false);
        _migration.Dispose();
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops the notification listener without waiting for it and, when the store built it, disposes the data source:
    /// for a container disposed synchronously. Prefer <see cref="DisposeAsync"/>, which also gives back at once the
    /// messages enqueued here and not yet sent; after this one they are claimed again once their leases lapse.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _listener.Dispose();
        _migration.Dispose();
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    /// <summary>Gets how many messages enqueued here wait, leased, for this process's dispatcher.</summary>
    internal int HandedOffCount => _handOff.Count;

    /// <summary>Registers a callback for outbox notifications and starts listening.</summary>
    internal IDisposable SubscribeOutbox(Action onOutbox)
    {
        var registration = _outboxCallbacks.Add(onOutbox);
        _listener.EnsureStarted();
        return registration;
    }

    /// <summary>Gets how many times the notification listener has connected.</summary>
    internal int ListenerConnections => _listener.Connections;

    /// <summary>Completes once the notification listener listens; starts it if needed.</summary>
    internal Task WaitUntilListeningAsync(CancellationToken cancellationToken) => _listener.WaitUntilListeningAsync(cancellationToken);

    /// <summary>Migrates the schema on first use, when <see cref="PostgreSqlStoreOptions.AutoMigrate"/> is on.</summary>
    internal ValueTask EnsureReadyAsync(CancellationToken cancellationToken) =>
        _migrated || !_autoMigrate ? ValueTask.CompletedTask : new ValueTask(MigrateOnceAsync(cancellationToken));

    private void OnDue()
    {
        _handOff.NoteDue();
        _dueCallbacks.Invoke();
    }

    // A webhook changed or deleted, perhaps by another instance: the messages handed off for it are taken from the
    // database as they are now, not as they were inserted (a delete took them from the table).
    private void OnConfigChanged(string? id, string? tenantId)
    {
        _cache.Invalidate(id, tenantId);
        _handOff.Revoke(null, id);
    }

    private void OnReset()
    {
        _cache.Clear();
        _handOff.Revoke(null, null);
    }

    private static NpgsqlDataSource BuildDataSource(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);

        // The keys the string sets, by their canonical names whatever alias it used (ContainsKey says only whether a key
        // exists at all).
        var given = builder.Keys.Cast<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);

        // The store runs a handful of statements over and over: let Npgsql prepare them unless the host chose otherwise
        // (0 turns preparation off, behind a transaction-pooling PgBouncer say).
        if (!given.Contains("Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 32;
        }

        // The store leaves no session state on pooled connections (the listener unlistens before it lets go of its
        // connection), so the reset Npgsql would otherwise prepend to the next command, seven statements once
        // statements are prepared, is pure overhead on every command.
        if (!given.Contains("No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }

        // The store's connections never join a host's ambient transaction (TransactionScope): a shared insert would
        // carry other callers' messages into it, a migration would nest a transaction in it, and a second connection
        // would escalate it to a prepared transaction. Publishing in the host's transaction is the outbox's job, on
        // the host's own connection.
        builder.Enlist = false;
        return NpgsqlDataSource.Create(builder);
    }

    /// <summary>
    /// Runs <paramref name="work"/> outside the caller's ambient transaction (<c>TransactionScope</c>), if it has one: a
    /// host data source that enlists would take the store's connections into it. A migration in it would nest its own
    /// transaction, and its reads would escalate the scope to a prepared transaction.
    /// </summary>
    internal static Task OutsideAmbientTransaction(Func<Task> work)
    {
        if (Transaction.Current is null)
        {
            return work();
        }

        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(work);
        }
    }

    private async Task MigrateOnceAsync(CancellationToken cancellationToken)
    {
        if (!_migrated)
        {
            await MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
