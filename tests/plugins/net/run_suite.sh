#!/usr/bin/env bash
# run_suite.sh SEAM PLUGIN_DIR SUITE: runs one suite of suites/ with the real
# seam binary; every test and step must pass, as the JSON report shows.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
run_passing "${3:?suite file}"
finish
