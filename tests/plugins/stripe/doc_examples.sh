#!/usr/bin/env bash
# doc_examples.sh SEAM PLUGIN_DIR MARKDOWN: every ```toml block of the page is
# a whole suite; each runs with the real seam binary and passes.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
require_kinds
doc_examples "${3:?markdown page}"
finish
