#!/usr/bin/env bash
# check_bad.sh SEAM PLUGIN_DIR: `seam check` refuses each suite of bad/ (exit
# 2) with a message that holds its `# expect:` lines and names the file;
# suites of bad/run-*.toml pass the check and fail when run (exit 1), with
# their `# expect:` lines in the output.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
mkdir "$WORK/tmp"
export TMPDIR=$WORK/tmp
cd "$WORK"
for suite in "$HERE"/bad/*.toml; do
  case $(basename "$suite") in
  run-*)
    run_seam run "$suite"
    expect_rc 1
    ;;
  *)
    run_seam check "$suite"
    expect_rc 2
    expect_out "$(basename "$suite"):"
    ;;
  esac
  while IFS= read -r want; do
    expect_out "$want"
  done < <(sed -n 's/^# expect: //p' "$suite")
done
# A temporary root is gone once the run ends, also when a test failed.
checks=$((checks + 1))
if compgen -G "$TMPDIR/seam-fs-leftover-*" >/dev/null; then
  fail "a temp = true directory outlived the run: $(compgen -G "$TMPDIR/seam-fs-leftover-*")"
fi
finish
