#!/usr/bin/env bash
# Records new public API in each shipped project's PublicAPI.Unshipped.txt (the analyzer's code fix), then sorts it.
# Usage: eng/update-public-api.sh [project.csproj ...]   (default: every project under src/)
set -euo pipefail
cd "$(dirname "$0")/.."
projects=("$@")
[ ${#projects[@]} -gt 0 ] || mapfile -t projects < <(find src -name '*.csproj' | sort)
for project in "${projects[@]}"; do
  dotnet format analyzers "$project" --diagnostics RS0016 RS0017 RS0036 RS0037 --severity warn >/dev/null 2>&1 || true
  file="$(dirname "$project")/PublicAPI.Unshipped.txt"
  { echo '#nullable enable'; grep -v '^#nullable enable' "$file" | grep -v '^\s*$' | LC_ALL=C sort -u; } > "$file.tmp"
  mv "$file.tmp" "$file"
done
