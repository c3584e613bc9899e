-- Runs on the schema the store created (the load harness's run before): empties it and adds the helpers.
SET client_min_messages = warning;
TRUNCATE webhooks_loadtest.attempts, webhooks_loadtest.messages, webhooks_loadtest.events CASCADE;
DROP TABLE IF EXISTS floor_payload;
CREATE TABLE floor_payload AS
    SELECT convert_to(string_agg(md5(g::text), ''), 'UTF8') || '\x7b7d'::bytea AS body FROM generate_series(1, 34) g;

CREATE OR REPLACE FUNCTION floor_deliver_batch() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    ids text[];
    leases uuid[];
    written integer;
BEGIN
    WITH claimed AS (
        UPDATE webhooks_loadtest.messages SET lease_id = gen_random_uuid(), lease_expires_at = now() + interval '60 s'
        WHERE id IN (SELECT id FROM webhooks_loadtest.messages
                     WHERE status <= 1 AND next_attempt_at <= now() AND (lease_id IS NULL OR lease_expires_at <= now())
                     ORDER BY next_attempt_at LIMIT 100 FOR UPDATE SKIP LOCKED)
        -- Every column, payload included, as the store's claim returns them to the dispatcher.
        RETURNING id, webhook_id, tenant_id, event_id, event_type, payload, status, attempt_count, next_attempt_at, created_at, lease_id)
    SELECT array_agg(id), array_agg(lease_id) INTO ids, leases FROM claimed;
    IF ids IS NULL THEN
        RETURN 0;
    END IF;

    WITH o AS (SELECT * FROM unnest(ids, leases) AS o(id, lease_id)),
    done AS (
        UPDATE webhooks_loadtest.messages m
        SET status = 2, attempt_count = 1, next_attempt_at = NULL, lease_id = NULL, lease_expires_at = NULL,
            last_attempt = '{"number":1,"statusCode":204,"durationTicks":10000}'::jsonb
        FROM o WHERE m.id = o.id AND m.lease_id = o.lease_id
        RETURNING m.id)
    INSERT INTO webhooks_loadtest.attempts (message_id, number, attempted_at, url, status_code, duration_ticks, response_body, error)
    SELECT id, 1, now(), 'http://127.0.0.1:5000/hook', 204, 10000, '', NULL FROM done;
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END $$;
VACUUM ANALYZE webhooks_loadtest.messages;
