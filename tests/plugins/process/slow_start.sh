#!/usr/bin/env bash
# slow_start.sh SEAM PLUGIN_DIR: [suite] step_timeout bounds a resource's open
# (not only its steps), so a service slower to start than --timeout still opens
# when the suite allows it; without step_timeout, --timeout bounds the open.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"

run_seam run "$HERE/slow_start.toml" --timeout 500ms
expect_rc 0
no_leftovers
sed '/^step_timeout/d' "$HERE/slow_start.toml" >"$WORK/no_suite_timeout.toml"
run_seam run "$WORK/no_suite_timeout.toml" --timeout 500ms
expect_rc 1
expect_out "could not be opened"
no_leftovers
finish
