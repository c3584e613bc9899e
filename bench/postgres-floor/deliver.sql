-- One delivery batch of the store, all server-side: claim 100 due messages with a lease (FOR UPDATE SKIP LOCKED),
-- then complete them as successes and log their attempts. Commits asynchronously, as the store's claims and completions do.
BEGIN;
SET LOCAL synchronous_commit = off;
SELECT floor_deliver_batch();
COMMIT;
