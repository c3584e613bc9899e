-- One publish batch of the store: 100 events recorded as published and their 100 messages of a 1.1 KB payload,
-- committed durably in one statement (as EnqueueAsync does).
\set b random(1, 2000000000)
WITH published AS (
    INSERT INTO webhooks_loadtest.events (tenant_key, event_id, created_at)
    SELECT '', 'evt_' || :b || '_' || g, now() FROM generate_series(1, 100) g
    ON CONFLICT DO NOTHING
    RETURNING event_id)
INSERT INTO webhooks_loadtest.messages (id, webhook_id, tenant_id, event_id, event_type, payload, status, attempt_count, next_attempt_at, created_at)
SELECT 'msg_' || p.event_id, 'wh_floor', NULL, p.event_id, 'order.created', (SELECT body FROM floor_payload), 0, 0, now(), now()
FROM published p
ON CONFLICT DO NOTHING;
