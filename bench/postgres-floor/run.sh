#!/usr/bin/env bash
# How fast PostgreSQL alone can store and deliver messages on this machine, against the bare HttpClient loop.
#
# Runs the load harness on a throwaway server (--store postgres), which prints the engine's and the bare loop's rates
# and leaves the schema the store created. Then, with no .NET process running, pgbench drives the server with the
# store's own work per message, written as server-side SQL in batches of 100 (no round trips, no client):
#   durable: enqueue (durable commit), claim with a lease, complete, log the attempt   (enqueue.sql + deliver.sql)
#   least:   enqueue, then one update marking the message delivered                    (enqueue.sql + least.sql)
# A delivery through PostgreSQL costs at least the server's work plus the HTTP exchange, on the same two cores, so
# the engine can reach at most 1 / (1/pg + 1/bare) deliveries per second: the printed bound on the ratio.
#
# Usage: bench/postgres-floor/run.sh [--events N] [--seconds N]
set -euo pipefail
cd "$(dirname "$0")/../.."

events=20000
seconds=15
while [ $# -gt 0 ]; do
  case "$1" in
    --events) events="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    *) echo "bench/postgres-floor/run.sh: unknown option '$1' (allowed: --events N, --seconds N)" >&2; exit 2 ;;
  esac
done

# shellcheck source=eng/throwaway-postgres.sh
source eng/throwaway-postgres.sh
start_postgres

harness_log="$pg_tmp/harness.log"
dotnet run -c Release --project bench/Webhooks.Core.LoadTest -- --store postgres --connection "$WEBHOOKS_POSTGRES" --events "$events" \
  | tee "$harness_log"
summary="$(tail -n 1 "$harness_log")"
bare="$(sed -E 's/.*"rawPerSecond":([0-9.]+).*/\1/' <<<"$summary")"
engine="$(sed -E 's/.*"perSecond":([0-9.]+).*/\1/' <<<"$summary")"

export PGPASSWORD="$pg_password"
connection=(-h 127.0.0.1 -p "$pg_port" -U postgres)
psql=("$pg_bin/psql" "${connection[@]}" -d webhooks_tests -v ON_ERROR_STOP=1 -q)
"${psql[@]}" -f bench/postgres-floor/setup.sql

delivered() { "${psql[@]}" -Atc "SELECT count(*) FROM webhooks_loadtest.messages WHERE status = 2"; }

# Prints messages delivered per second by two pgbench clients running enqueue.sql and $1 half and half.
measure() {
  # A short run first, then fresh statistics: every measured session plans against a table with rows in it.
  "$pg_bin/pgbench" "${connection[@]}" -n -c 2 -j 2 -T 3 -f bench/postgres-floor/enqueue.sql -f "$1" webhooks_tests >/dev/null
  "${psql[@]}" -c "ANALYZE webhooks_loadtest.messages"
  local before after
  before="$(delivered)"
  "$pg_bin/pgbench" "${connection[@]}" -n -c 2 -j 2 -T "$seconds" -f bench/postgres-floor/enqueue.sql -f "$1" webhooks_tests >/dev/null
  after="$(delivered)"
  echo $(((after - before) / seconds))
}

durable="$(measure bench/postgres-floor/deliver.sql)"
least="$(measure bench/postgres-floor/least.sql)"
awk -v bare="$bare" -v engine="$engine" -v durable="$durable" -v least="$least" 'BEGIN {
  bound = 1 / (1 / durable + 1 / bare); least_bound = 1 / (1 / least + 1 / bare)
  printf "PostgreSQL alone, whole machine: durable %d messages/s, least %d messages/s\n", durable, least
  printf "bare HttpClient loop %d/s, engine on PostgreSQL %d/s (ratio %.3f)\n", bare, engine, engine / bare
  printf "bound on the ratio with the same two cores shared: durable %.3f, least %.3f\n", bound / bare, least_bound / bare
  printf "{\"bare\":%d,\"engine\":%d,\"ratio\":%.3f,\"pgDurable\":%d,\"pgLeast\":%d,\"boundDurable\":%.3f,\"boundLeast\":%.3f}\n", bare, engine, engine / bare, durable, least, bound / bare, least_bound / bare
}'
