using Npgsql;

namespace Webhooks.Core.PostgreSql;

/// <summary>Settings of the PostgreSQL webhook store.</summary>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>
    /// Gets or sets the connection string, used when <see cref="DataSource"/> is <see langword="null"/>; the store then owns
    /// the data source it builds, whose connections never join an ambient transaction (<c>Enlist</c> is set to false
    /// whatever the string says). The default value is <see langword="null"/>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Gets or sets the data source to use; the caller keeps ownership of it. The default value is <see langword="null"/>.
    /// </summary>
    /// <remarks>
    /// Build it with <c>Enlist=false</c> when the host uses <c>TransactionScope</c>: a store call made inside a scope
    /// would otherwise join it (its first migration then fails, and a second connection escalates the scope to a
    /// prepared transaction). The store's shared inserts, its migration and its listener run outside any scope whatever the data
    /// source says. To publish within the host's transaction, use <see cref="PostgreSqlWebhookOutbox"/>.
    /// </remarks>
    public NpgsqlDataSource? DataSource { get; set; }

    /// <summary>
    /// Gets or sets the schema holding the store's tables; created when missing. Letters, digits and underscores, starting with
    /// a letter or underscore, at most 63 characters. The default value is <c>webhooks</c>.
    /// </summary>
    public string SchemaName { get; set; } = "webhooks";

    /// <summary>
    /// Gets or sets the <c>LISTEN/NOTIFY</c> channel instances use to wake each other (due messages, outbox rows, config changes);
    /// the same rules as <see cref="SchemaName"/>. The default value is <see langword="null"/>: the schema name followed by <c>_notify</c> (for a schema name over 56 characters, its start and a hash of it, within 63 characters).
    /// </summary>
    public string? NotificationChannel { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the schema is created and migrated before first use. Turn it off when a
    /// deployment step calls <see cref="PostgreSqlWebhookStore.MigrateAsync"/> with more privileges. The default value is <see langword="true"/>.
    /// </summary>
    public bool AutoMigrate { get; set; } = true;

    /// <summary>
    /// Gets or sets how long configs read by <see cref="IWebhookStore.GetTenantConfigsAsync"/> and <see cref="IWebhookStore.GetConfigAsync"/>
    /// are served from memory at most. Changes made by any instance invalidate them at once through a notification; this is
    /// the safety net. <see cref="TimeSpan.Zero"/> turns the cache off.
    /// The default value is 5 seconds.
    /// </summary>
    public TimeSpan ConfigCacheMaxAge { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how long the notification listener waits before reconnecting after a failure. The default value is 1 second.</summary>
    public TimeSpan ListenerReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how many outbox rows the relay hands to the publisher per transaction. The default value is 100.</summary>
    public int OutboxBatchSize { get; set; } = 100;

    /// <summary>
    /// Gets or sets the longest the outbox relay sleeps without a notification (a safety net for missed notifications).
    /// The default value is 5 seconds.
    /// </summary>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets the protection applied to signing secrets and custom headers at rest. The default value is
    /// <see langword="null"/>: stored as they are (with dependency injection, a registered <see cref="IWebhookSecretProtector"/> is used).
    /// </summary>
    public IWebhookSecretProtector? SecretProtector { get; set; }
}
