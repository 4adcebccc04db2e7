#!/usr/bin/env bash
# The test command: installs prerequisites, builds Release, runs every test project.
# Kernel tests need root; with REQUIRE_KERNEL_TESTS=1 (CI) a skipped kernel test is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then tests/prerequisites.sh; else echo "not root: kernel tests will be skipped" >&2; fi
dotnet build Replicator.sln -c Release -nologo -clp:ErrorsOnly
# One project at a time (-m:1 style): kernel tests in different projects must not race on 2 cores.
status=0
for proj in tests/*.Tests/*.Tests.csproj; do
  echo "== $(basename "$proj" .csproj)"
  dotnet test "$proj" -c Release --no-build -nologo --logger "console;verbosity=minimal" || status=1
done
exit $status
