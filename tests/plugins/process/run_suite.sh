#!/usr/bin/env bash
# run_suite.sh SEAM PLUGIN_DIR SUITE: runs one suite with the real seam
# binary; every step must pass (the JSON report shows that steps really ran),
# and no process the suite started may outlive seam.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
run_passing "${3:?suite file}"
no_leftovers
finish
