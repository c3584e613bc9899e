namespace Webhooks.Core.PostgreSql.Internal;

/// <summary>
/// The versioned schema scripts, applied in order and recorded in <c>schema_version</c>. A released script never changes:
/// a schema change is a new entry at the end. <c>{schema}</c> stands for the quoted schema name.
/// </summary>
internal static class SchemaMigrations
{
    public static IReadOnlyList<(int Version, string Description, string Script)> All { get; } =
    [
        (1, "Configs, messages, attempts and outbox", V1),
        (2, "Vacuum the messages and outbox tables eagerly", V2),
        (3, "Claims and lease renewals update messages in place (HOT)", V3),
        (4, "Published events: the idempotency key per tenant", V4),
        (5, "The delivery log's index in its order: ties by id from the last", V5),
        (6, "A message is unique per webhook and event within its tenant", V6),
        (7, "The message key leads with the event, so that the retention purge finds an event's messages", V7),
    ];

    public static int Latest => All[^1].Version;

    // Message status values: 0 Created, 1 Retrying, 2 Success, 3 Failed, 4 Cancelled.
    // The due index holds only unfinished, unleased rows with a next attempt time, in due order: claiming never reads
    // finished, held or leased rows. The lease index holds only leased rows, so finding lapsed leases is cheap too.
    private const string V1 = """
        CREATE TABLE {schema}.configs (
            id text PRIMARY KEY,
            tenant_id text,
            state smallint NOT NULL,
            status smallint NOT NULL,
            is_default boolean NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            generation bigint NOT NULL,
            body jsonb NOT NULL
        );
        CREATE INDEX configs_tenant_created_idx ON {schema}.configs (tenant_id, created_at DESC, id);
        COMMENT ON COLUMN {schema}.configs.state IS '0 Enabled, 1 Disabled';
        COMMENT ON COLUMN {schema}.configs.status IS '0 Pending, 1 Active, 2 Warning, 3 Error, 4 Disabled';

        CREATE TABLE {schema}.messages (
            id text PRIMARY KEY,
            webhook_id text NOT NULL,
            tenant_id text,
            event_id text NOT NULL,
            event_type text NOT NULL,
            payload bytea NOT NULL,
            status smallint NOT NULL,
            status_reason text,
            attempt_count integer NOT NULL,
            next_attempt_at timestamptz,
            lease_id uuid,
            lease_expires_at timestamptz,
            created_at timestamptz NOT NULL,
            last_attempt jsonb,
            CONSTRAINT messages_webhook_event_key UNIQUE (webhook_id, event_id)
        );
        CREATE INDEX messages_due_idx ON {schema}.messages (next_attempt_at)
            WHERE lease_id IS NULL AND status <= 1 AND next_attempt_at IS NOT NULL;
        CREATE INDEX messages_leased_idx ON {schema}.messages (lease_expires_at) WHERE lease_id IS NOT NULL;
        CREATE INDEX messages_webhook_created_idx ON {schema}.messages (webhook_id, created_at DESC, id);
        CREATE INDEX messages_held_idx ON {schema}.messages (created_at) WHERE status <= 1 AND next_attempt_at IS NULL;
        CREATE INDEX messages_finished_idx ON {schema}.messages (created_at) WHERE status >= 2;
        COMMENT ON COLUMN {schema}.messages.status IS '0 Created, 1 Retrying, 2 Success, 3 Failed, 4 Cancelled';

        CREATE TABLE {schema}.attempts (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            message_id text NOT NULL REFERENCES {schema}.messages (id) ON DELETE CASCADE,
            number integer NOT NULL,
            attempted_at timestamptz NOT NULL,
            url text NOT NULL,
            status_code integer,
            duration_ticks bigint NOT NULL,
            response_body text,
            error text
        );
        CREATE INDEX attempts_message_idx ON {schema}.attempts (message_id, id);

        CREATE TABLE {schema}.outbox (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            event_id text NOT NULL,
            event_type text NOT NULL,
            tenant_id text,
            occurred_at timestamptz NOT NULL,
            data bytea NOT NULL,
            targeted boolean NOT NULL,
            target_webhook_id text
        );
        """;

    // Every delivery updates its message twice (claim, completion) and no update can be HOT, so dead index entries pile
    // up at the front of the due index, where every claim starts. The default thresholds (20 % of the table) wait far
    // too long once millions of finished rows are kept for retention; vacuum after 1 % instead.
    private const string V2 = """
        ALTER TABLE {schema}.messages SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
            autovacuum_analyze_scale_factor = 0.02);
        ALTER TABLE {schema}.outbox SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000);
        """;

    // A claim or lease renewal writes only lease_id and lease_expires_at. While either column is in an index key or an
    // index predicate, every such write is a full new row version plus an entry in every index; with neither indexed
    // it is a heap-only (HOT) update on the same page, with no index entries at all. So the due index no longer
    // excludes leased rows and the lease index goes: a claim skips the rows in flight (at most the dispatchers'
    // concurrency, wherever they are in the table) and finds lapsed leases in the same due-ordered scan.
    // A lower fill factor keeps room on each page for the claimed and the completed version of its rows; it applies
    // to pages filled from now on.
    private const string V3 = """
        DROP INDEX IF EXISTS {schema}.messages_leased_idx;
        DROP INDEX IF EXISTS {schema}.messages_due_idx;
        CREATE INDEX messages_due_idx ON {schema}.messages (next_attempt_at) WHERE status <= 1 AND next_attempt_at IS NOT NULL;
        ALTER TABLE {schema}.messages SET (fillfactor = 70);
        """;

    // An event id is published once per tenant: the first enqueue of (tenant, event id) records it here, and a later
    // one, for whichever webhooks, stores nothing. tenant_key is '' for the default tenant and 't' || tenant_id for
    // others, so that no tenant id collides with the default. Rows go with the retention purge.
    // The events of messages stored before are not recorded: reading every message could take minutes on a large
    // schema, with every instance waiting. Those events stay idempotent per webhook (messages_webhook_event_key).
    private const string V4 = """
        CREATE TABLE IF NOT EXISTS {schema}.events (
            tenant_key text NOT NULL,
            event_id text NOT NULL,
            created_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_key, event_id)
        );
        CREATE INDEX IF NOT EXISTS events_created_idx ON {schema}.events (created_at);
        """;

    // The delivery log lists messages created at the same instant by id from the last, as the in-memory store does
    // (message ids grow with time, so newest first throughout). The index follows, so that a page is read in index
    // order. Rebuilding it holds writes to the messages table while it runs.
    private const string V5 = """
        DROP INDEX IF EXISTS {schema}.messages_webhook_created_idx;
        CREATE INDEX messages_webhook_created_idx ON {schema}.messages (webhook_id, created_at DESC, id DESC);
        """;

    // Events are unique per tenant, and so are the messages of events stored before migration 4 (kept idempotent per
    // webhook by this key): a message left for a deleted webhook (a publish routed to it just before the delete stored
    // it after) kept the event of the same id in another tenant from the webhook that has taken the id since, and that
    // message was dropped while its event was recorded. The key takes the tenant as the events table does. Building it
    // holds writes to the messages table while it runs.
    private const string V6 = """
        CREATE UNIQUE INDEX IF NOT EXISTS messages_webhook_event_key_per_tenant ON {schema}.messages (webhook_id, (coalesce('t' || tenant_id, '')), event_id);
        ALTER TABLE {schema}.messages DROP CONSTRAINT IF EXISTS messages_webhook_event_key;
        """;

    // The same key, led by the tenant and the event: the retention purge keeps an event while any message of it is
    // stored, and looks each one up by it, rather than reading every unfinished message into a set for every chunk
    // (which PostgreSQL stops hashing once the set outgrows its memory). The webhook's own lookups have their index.
    // Building it holds writes to the messages table while it runs.
    private const string V7 = """
        CREATE UNIQUE INDEX IF NOT EXISTS messages_event_webhook_key ON {schema}.messages ((coalesce('t' || tenant_id, '')), event_id, webhook_id);
        DROP INDEX IF EXISTS {schema}.messages_webhook_event_key_per_tenant;
        """;
}
