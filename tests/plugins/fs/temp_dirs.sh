#!/usr/bin/env bash
# temp_dirs.sh SEAM PLUGIN_DIR: a temp = true root is removed with all it
# holds when the run ends; with keep = true it stays, and so do the test
# directories of per_test.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
mkdir "$WORK/tmp"
export TMPDIR=$WORK/tmp
run_seam run "$HERE/temp_dirs.toml" --report "json:$WORK/report.json"
expect_rc 0
expect_all_passed "$HERE/temp_dirs.toml" "$WORK/report.json"
checks=$((checks + 1))
if compgen -G "$TMPDIR/seam-fs-gone-*" >/dev/null; then
  fail "the temp = true root outlived the run: $(ls -R "$TMPDIR")"
fi
checks=$((checks + 1))
kept=$(compgen -G "$TMPDIR/seam-fs-kept-*/test-*/c.txt" || true)
if [ -z "$kept" ] || [ "$(cat "$kept")" != "kept for a look" ]; then
  fail "keep = true did not keep the test's file: $(ls -R "$TMPDIR")"
fi
finish
