#!/usr/bin/env bash
# A CPU profile of the load harness, side by side. Records the harness with Linux perf (the JIT's code named through
# the runtime's perf maps), then prints, for the last measured run of each side, the most sampled functions and the
# share of samples by library, in samples per 1,000 deliveries (one sample is 0.5 ms of one core).
#
#   bench/profile.sh                                   # the harness's defaults
#   bench/profile.sh --events 50000 --rounds 1 --top 40
#
# Options other than --top N (25) and --keep (leave the recording and the JIT's maps for further `perf report`s, and
# say where) go to the harness. Installs Debian's linux-perf when perf is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

top=25 events=50000 keep=0 args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --top) top="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --events) events="$2"; args+=("$1" "$2"); shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

if ! command -v perf >/dev/null; then
  apt-get update -qq && apt-get install -y -qq linux-perf >/dev/null
fi

work="$(mktemp -d)"
pid_maps=()
cleanup() {
  if [ "$keep" = 1 ]; then
    echo "kept: $work/perf.data (perf report -i $work/perf.data --time <from>,<to>)"
  else
    rm -rf "$work" "${pid_maps[@]}"
  fi
}
trap cleanup EXIT

dotnet build -c Release bench/Webhooks.Core.LoadTest -v q --nologo >/dev/null
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 \
  perf record -q -F 2000 -g -k CLOCK_MONOTONIC -o "$work/perf.data" -- \
  dotnet bench/Webhooks.Core.LoadTest/bin/Release/net10.0/Webhooks.Core.LoadTest.dll --marks --events "$events" "${args[@]}" \
  | tee "$work/run.txt"
mapfile -t pid_maps < <(perf report -i "$work/perf.data" --sort pid --stdio -g none 2>/dev/null \
  | sed -nE 's/.* ([0-9]+):dotnet.*/\/tmp\/perf-\1.map\n\/tmp\/perfinfo-\1.map\n\/tmp\/jit-\1.dump/p')

# The last round's mark of each side: "mark: <side> ran from <start> to <end>".
sed -nE 's/^mark: (.*) ran from ([0-9.]+) to ([0-9.]+)$/\1|\2|\3/p' "$work/run.txt" \
  | awk -F'|' '{ last[$1] = $0; order[$1] = NR } END { for (s in last) print order[s] "|" last[s] }' | sort -n | cut -d'|' -f2- \
  | while IFS='|' read -r side from to; do
      report() { perf report -i "$work/perf.data" --time "$from,$to" --no-children -n --stdio -g none "$@" 2>/dev/null | grep -v "^#" | grep -v "^$"; } </dev/null
      echo
      echo "== $side ($from to $to): samples per 1,000 deliveries"
      report --sort dso | awk -v n="$events" '{ printf "%8.1f  %s\n", $2 * 1000 / n, $3 }' | head -8 || true
      echo "-- functions"
      report --sort sym | awk -v n="$events" '{ count = $2; $1 = ""; $2 = ""; printf "%8.1f %s\n", count * 1000 / n, substr($0, 1, 180) }' | head -n "$top" || true
    done
