#!/usr/bin/env bash
# Runs every test of the solution. This is the README's test command and what CI runs.
#
# The PostgreSQL tests read a connection string from WEBHOOKS_POSTGRES. When it is not set, this script starts a
# throwaway server for them: Debian's postgresql package (installed with apt-get when no server binaries exist),
# run as the postgres user on a free loopback port from 55432 up, with its data and socket in a temporary folder that
# is stopped and deleted when the script exits.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=eng/throwaway-postgres.sh
source eng/throwaway-postgres.sh

if [ -z "${WEBHOOKS_POSTGRES:-}" ]; then
  start_postgres
fi

# Run every test project, then total the per-project summaries into one closing line.
results="$(mktemp)"
status=0
dotnet test Webhooks.Core.sln -c Release --nologo "$@" 2>&1 | tee "$results" || status=$?
awk '/^(Passed|Failed)! / {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") failed += $(i + 1); if ($i == "Passed:") passed += $(i + 1); if ($i == "Skipped:") skipped += $(i + 1)
       }
     }
     END { printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$results"
rm -f "$results"
exit "$status"
