#!/usr/bin/env bash
# doc_examples.sh SEAM PLUGIN_DIR MARKDOWN: every ```toml block of the page is
# a whole suite; each runs with the real seam binary and passes.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
require_kinds
DOC=${3:?markdown page}
mkdir "$WORK/examples"
toml_blocks "$DOC" "$WORK/examples"
for suite in "$WORK"/examples/*.toml; do
  run_seam run "$suite" --report "json:$WORK/report.json"
  expect_rc 0
  expect_all_passed "$suite" "$WORK/report.json"
done
finish
