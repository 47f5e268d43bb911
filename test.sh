#!/usr/bin/env bash
# Sets up (npm ci, NuGet restore) and runs every test: domain unit tests and integration tests that start
# Azurite and the LocalHost as real processes. Ends with the line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

echo "==> npm ci (Azurite)"
if ! npm ci --no-audit --no-fund --loglevel=error; then echo "0 passed, 1 failed"; exit 1; fi

echo "==> dotnet build"
if ! dotnet build Serverless.sln -c Debug -nologo -clp:ErrorsOnly; then echo "0 passed, 1 failed"; exit 1; fi

echo "==> dotnet test"
log=$(mktemp)
dotnet test Serverless.sln -c Debug --no-build -nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet test prints one "Passed!/Failed!  - Failed: F, Passed: P, Skipped: S" line per test project.
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
