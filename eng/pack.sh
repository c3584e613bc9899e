#!/usr/bin/env bash
# Packs every shipped library into artifacts/packages and checks each package's metadata:
# id, version, description, license expression, readme, repository, and a symbols package beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/packages
rm -rf "$out"
dotnet pack Webhooks.Core.sln -c Release -o "$out" --nologo -v quiet "$@" >/dev/null

expected=(Webhooks.Core Webhooks.Core.PostgreSql Webhooks.Core.AspNetCore Webhooks.Core.Testing)
failures=0
fail() { echo "eng/pack.sh: $1" >&2; failures=$((failures + 1)); }

for id in "${expected[@]}"; do
  package=$(find "$out" -maxdepth 1 -name "$id.[0-9]*.nupkg" | head -n 1)
  if [ -z "$package" ]; then fail "$id: no package produced"; continue; fi
  [ -f "${package%.nupkg}.snupkg" ] || fail "$id: no symbols package beside $(basename "$package")"
  nuspec=$(unzip -p "$package" "$id.nuspec")
  check() { grep -q "$2" <<<"$nuspec" || fail "$id: $1 missing from the nuspec"; }
  check "id" "<id>$id</id>"
  check "version" "<version>[0-9]\+\.[0-9]\+\.[0-9]\+"
  check "description" "<description>.\{40,\}</description>"
  check "MIT license expression" '<license type="expression">MIT</license>'
  check "readme" "<readme>README.md</readme>"
  check "repository" '<repository type="git" url="https://'
  files=$(unzip -l "$package")
  grep -q " README.md$" <<<"$files" || fail "$id: README.md is not in the package"
  readme=README.md
  [ -f "src/$id/README.md" ] && readme="src/$id/README.md"
  unzip -p "$package" README.md | cmp -s - "$readme" || fail "$id: the package's README.md is not $readme"
  grep -q "lib/net10.0/$id.dll$" <<<"$files" || fail "$id: lib/net10.0/$id.dll is not in the package"
  grep -q "lib/net10.0/$id.xml$" <<<"$files" || fail "$id: XML docs are not in the package"
  echo "eng/pack.sh: $(basename "$package") ok"
done

[ "$failures" -eq 0 ] || { echo "eng/pack.sh: $failures problem(s)" >&2; exit 1; }
