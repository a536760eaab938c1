#!/usr/bin/env bash
# check_bad.sh SEAM PLUGIN_DIR NGINX_ENV: `seam check` refuses each suite of
# bad/ (exit 2) with a message that contains its `# expect:` lines, and names
# the file and line.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"

for suite in "$HERE"/bad/*.toml; do
  run_seam check "$suite"
  expect_rc 2
  expect_out "$(basename "$suite"):"
  while IFS= read -r want; do
    expect_out "$want"
  done < <(sed -n 's/^# expect: //p' "$suite")
done
finish
