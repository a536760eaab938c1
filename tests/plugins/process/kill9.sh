#!/usr/bin/env bash
# kill9.sh SEAM PLUGIN_DIR: seam killed with SIGKILL (no code of seam runs)
# leaves no process behind: the reaper ends the service, its child and a
# running process.exec command, then itself.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
source "$HERE/hang_suite.sh"

start_hanging
kill -KILL "$seam_pid"
rc=0
wait "$guard_pid" || rc=$?
out=$(cat "$WORK/out")
last_cmd="seam run hang.toml, then SIGKILL"
# 137: seam's own death; 99 would mean no_orphans.py found processes left.
# The service ignores SIGTERM: it goes only with the SIGKILL after its grace.
expect_rc 137
no_leftovers
# The reaper is a fork of seam: it carries seam's command line.
no_leftovers_of "$WORK/hang.toml"
finish
