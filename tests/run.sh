#!/usr/bin/env bash
# The test command: installs prerequisites, builds Release, runs every test project.
# Kernel tests need root; with REQUIRE_KERNEL_TESTS=1 (CI) a skipped kernel test is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then tests/prerequisites.sh; else echo "not root: kernel tests will be skipped" >&2; fi
dotnet build Replicator.sln -c Release -nologo -clp:ErrorsOnly
# One project at a time: kernel tests in different projects must not race on 2 cores.
status=0
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
for proj in tests/*.Tests/*.Tests.csproj; do
  echo "== $(basename "$proj" .csproj)"
  dotnet test "$proj" -c Release --no-build -nologo --logger "console;verbosity=minimal" | tee -a "$summary" || status=1
done
# Totals over every project (a crashed test host prints no totals and already set status=1).
awk -F'[ ,]+' '/(Passed|Failed)! +- /{for(i=1;i<=NF;i++){if($i=="Failed:")f+=$(i+1);if($i=="Passed:")p+=$(i+1);if($i=="Skipped:")s+=$(i+1);if($i=="Total:")t+=$(i+1)}}
  END{printf "TOTAL: %d tests, %d passed, %d failed, %d skipped\n", t, p, f, s}' "$summary"
exit $status
