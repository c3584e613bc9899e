-- Less than any correct design can do: mark 100 due messages delivered in one statement, with no lease (nothing
-- guards a message while it is being sent) and no attempt log.
BEGIN;
SET LOCAL synchronous_commit = off;
UPDATE webhooks_loadtest.messages SET status = 2, next_attempt_at = NULL
WHERE id IN (SELECT id FROM webhooks_loadtest.messages WHERE status <= 1 AND next_attempt_at <= now()
             ORDER BY next_attempt_at LIMIT 100 FOR UPDATE SKIP LOCKED);
COMMIT;
