#!/usr/bin/env bash
# jobs.sh SEAM PLUGIN_DIR: jobs.toml with --jobs 2 passes; both its tests ran.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
run_seam run "$HERE/jobs.toml" --jobs 2 --report "json:$WORK/report.json"
expect_rc 0
expect_all_passed "$HERE/jobs.toml" "$WORK/report.json"
finish
