using Npgsql;
using Webhooks.Core.PostgreSql.Internal;
using static Webhooks.Core.PostgreSql.Internal.SqlParameters;

namespace Webhooks.Core.PostgreSql;

/// <summary>
/// Publishes events inside the host's own database transaction: the event is written to an outbox table on the caller's
/// connection, so it is stored if and only if the host's business change commits. A background relay (registered by
/// <c>UsePostgreSql</c>) hands committed events to <see cref="IWebhookPublisher"/>, which is idempotent on the event id,
/// and deletes them; a notification sent on commit wakes it at once.
/// </summary>
public sealed class PostgreSqlWebhookOutbox
{
    private readonly PostgreSqlWebhookStore _store;
    private readonly string _insertSql;

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlWebhookOutbox"/> class.</summary>
    /// <param name="store">The store whose schema holds the outbox table.</param>
    public PostgreSqlWebhookOutbox(PostgreSqlWebhookStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _insertSql = $"""
            INSERT INTO {store.Schema}.outbox (event_id, event_type, tenant_id, occurred_at, data, targeted, target_webhook_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """;
    }

    /// <summary>Stores an event to broadcast (as <see cref="IWebhookPublisher.PublishAsync"/>) once the caller's transaction commits.</summary>
    /// <param name="webhookEvent">The event; a missing <see cref="WebhookEvent.Timestamp"/> is set to now.</param>
    /// <param name="connection">The caller's open connection to the store's database.</param>
    /// <param name="transaction">The caller's transaction on <paramref name="connection"/>, or <see langword="null"/> when it has none, to commit on its own (a transaction in progress on the connection holds the event all the same).</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <exception cref="ArgumentException">
    /// The event cannot be published (see <see cref="WebhookEvent.Validate"/>), or <paramref name="transaction"/> is not
    /// <paramref name="connection"/>'s; nothing is written.
    /// </exception>
    public ValueTask PublishAsync(
        WebhookEvent webhookEvent, NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken = default) =>
        WriteAsync(webhookEvent, targeted: false, webhookId: null, connection, transaction, cancellationToken);

    /// <summary>
    /// Stores an event for one webhook, or for the tenant's default webhook when <paramref name="webhookId"/> is
    /// <see langword="null"/> (as <see cref="IWebhookPublisher.PublishToAsync"/>), once the caller's transaction commits.
    /// A target that no longer exists when the event is relayed is logged and dropped.
    /// </summary>
    /// <param name="webhookId">The target webhook, or <see langword="null"/> for the tenant's default.</param>
    /// <param name="webhookEvent">The event; a missing <see cref="WebhookEvent.Timestamp"/> is set to now.</param>
    /// <param name="connection">The caller's open connection to the store's database.</param>
    /// <param name="transaction">The caller's transaction on <paramref name="connection"/>, or <see langword="null"/> when it has none, to commit on its own (a transaction in progress on the connection holds the event all the same).</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <exception cref="ArgumentException">
    /// The event cannot be published (see <see cref="WebhookEvent.Validate"/>), <paramref name="transaction"/> is not
    /// <paramref name="connection"/>'s, or <paramref name="webhookId"/> has a U+0000 character or a surrogate without its
    /// pair, which no webhook id can have; nothing is written.
    /// </exception>
    public ValueTask PublishToAsync(
        string? webhookId, WebhookEvent webhookEvent, NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken = default) =>
        WriteAsync(webhookEvent, targeted: true, webhookId, connection, transaction, cancellationToken);

    private async ValueTask WriteAsync(
        WebhookEvent webhookEvent, bool targeted, string? webhookId, NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        ArgumentNullException.ThrowIfNull(connection);

        // Npgsql runs a command in its connection's transaction, whatever transaction it is given: with another
        // connection's, the event would commit on its own, whether the host's change commits or not. (A completed
        // transaction Npgsql refuses itself.)
        if (transaction is not null && !ReferenceEquals(transaction.Connection, connection))
        {
            throw new ArgumentException("The transaction belongs to another connection; pass the connection the transaction was begun on.", nameof(transaction));
        }

        // Refused here, in the caller's transaction, rather than by the relay once it is committed and can only be dropped.
        webhookEvent.Validate();

        // PostgreSQL refuses U+0000 and lone surrogates in text, and the error would abort the caller's transaction.
        if (webhookId is not null && StoredText.IndexOfUnstorable(webhookId) is >= 0 and var at)
        {
            throw new ArgumentException(
                $"The webhook id has {StoredText.DescribeUnstorable(webhookId, at)} at character {at + 1}; no webhook has such an id.", nameof(webhookId));
        }

        // The schema is created on the store's own connection: DDL has no place in the caller's transaction.
        await _store.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);

        using var batch = new NpgsqlBatch(connection, transaction);
        var insert = new NpgsqlBatchCommand(_insertSql);
        insert.Parameters.AddAll(
            Value(webhookEvent.Id),
            Value(webhookEvent.Type),
            Value(webhookEvent.TenantId),
            Value(MessageMapper.Utc(webhookEvent.Timestamp ?? _store.TimeProvider.GetUtcNow())),
            Value(webhookEvent.Data.ToArray()),
            Value(targeted),
            Value(webhookId));
        batch.BatchCommands.Add(insert);

        // Delivered by PostgreSQL on commit only, so the relay never wakes for a rolled-back event.
        var notify = new NpgsqlBatchCommand("SELECT pg_notify($1, $2)");
        notify.Parameters.AddAll(Value(_store.Channel), Value(NotificationSink.Outbox));
        batch.BatchCommands.Add(notify);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
