#!/usr/bin/env bash
# docs.sh SEAM PLUGIN_DIR: every ```toml block of docs/plugins/process.md is a
# complete suite; each runs as written, passes, and leaves nothing behind.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
DOC=$SOURCE_ROOT/docs/plugins/process.md
doc_examples "$DOC"
no_leftovers
checks=$((checks + 1))
n=$(find "$WORK/examples" -name '*.toml' | wc -l)
[ "$n" -ge 4 ] || fail "only $n examples found in $DOC"
finish
