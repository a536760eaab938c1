#!/usr/bin/env bash
# check_bad.sh SEAM PLUGIN_DIR: `seam check` refuses each suite of bad/ (exit
# 2) with a message that holds its `# expect:` lines and names the file;
# suites of bad/run-*.toml pass the check and fail when run (exit 1), with
# their `# expect:` lines in the output. No temp = true root outlives a run.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
mkdir "$WORK/tmp"
export TMPDIR=$WORK/tmp
cd "$WORK"
check_bad_corpus "$HERE/bad"
# A temporary root is gone once the run ends, also when a test failed.
checks=$((checks + 1))
if compgen -G "$TMPDIR/seam-fs-leftover-*" >/dev/null; then
  fail "a temp = true directory outlived the run: $(compgen -G "$TMPDIR/seam-fs-leftover-*")"
fi
finish
