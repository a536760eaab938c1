#!/usr/bin/env bash
# interrupt.sh SEAM PLUGIN_DIR: Ctrl-C (SIGINT) and SIGTERM end the run with
# exit code 130, and the resources' processes are stopped on the way out.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
source "$HERE/hang_suite.sh"

for sig in INT TERM; do
  start_hanging
  kill -"$sig" "$seam_pid"
  rc=0
  wait "$guard_pid" || rc=$?
  out=$(cat "$WORK/out")
  last_cmd="seam run hang.toml, then SIG$sig"
  expect_rc 130
  no_leftovers
  no_leftovers_of "$WORK/hang.toml"
done
finish
