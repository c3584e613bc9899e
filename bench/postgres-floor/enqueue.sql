-- One publish batch of the store: 100 messages of a 1.1 KB payload, committed durably (as EnqueueAsync does).
\set b random(1, 2000000000)
INSERT INTO webhooks_loadtest.messages (id, webhook_id, tenant_id, event_id, event_type, payload, status, attempt_count, next_attempt_at, created_at)
SELECT 'msg_' || :b || '_' || g, 'wh_floor', NULL, 'evt_' || :b || '_' || g, 'order.created', (SELECT body FROM floor_payload), 0, 0, now(), now()
FROM generate_series(1, 100) g
ON CONFLICT DO NOTHING;
