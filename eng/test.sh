#!/usr/bin/env bash
# Runs every test of the solution. This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test Webhooks.Core.sln -c Release --nologo "$@"
