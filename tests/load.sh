#!/usr/bin/env bash
# Runs a command with CPU-bound processes beside it, one per core unless -n says otherwise, to
# find tests that only pass on an idle machine (the rule: tests/run.sh passes twice in a row
# while a CPU-bound process runs beside it). The burners are stopped when the command ends,
# however it ends; the command's exit status is the script's.
#
#   tests/load.sh [-n BURNERS] COMMAND [ARGS...]
#   tests/load.sh tests/run.sh
#   tests/load.sh -n 1 dotnet test tests/ServiceNode.Tests -c Release --no-build --filter 'FullyQualifiedName~Hardening'
set -euo pipefail

burners=$(nproc)
if [[ "${1:-}" == "-n" ]]; then
  burners=$2
  shift 2
fi
if [[ $# -eq 0 ]]; then
  echo "usage: $0 [-n BURNERS] COMMAND [ARGS...]" >&2
  exit 2
fi

pids=()
stop() {
  # Only the burners this script started, by pid.
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT INT TERM

for ((i = 0; i < burners; i++)); do
  # A busy loop of the shell itself: pure CPU, no I/O, no memory.
  bash -c 'while :; do :; done' &
  pids+=("$!")
done
echo "load.sh: $burners CPU burner(s) running (pids ${pids[*]})" >&2

status=0
"$@" || status=$?
exit "$status"
