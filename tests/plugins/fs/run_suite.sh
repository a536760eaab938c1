#!/usr/bin/env bash
# run_suite.sh SEAM PLUGIN_DIR SUITE: runs one suite of suites/ with the real
# seam binary; every test and step must pass, as the JSON report shows.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
SUITE=${3:?suite file}
run_seam run "$SUITE" --report "json:$WORK/report.json"
expect_rc 0
expect_all_passed "$SUITE" "$WORK/report.json"
finish
