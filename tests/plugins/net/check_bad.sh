#!/usr/bin/env bash
# check_bad.sh SEAM PLUGIN_DIR: `seam check` refuses each suite of bad/ (exit
# 2) with a message that holds its `# expect:` lines and names the file;
# suites of bad/run-*.toml pass the check and fail when run (exit 1), with
# their `# expect:` lines in the output.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
check_bad_corpus "$HERE/bad"
finish
