# shellcheck shell=bash
# lib.sh - shared by the stripe pack's script tests. Usage from a test:
#   source lib.sh SEAM PLUGIN_DIR
# The plugins' script_lib.sh, with no STRIPE_API_KEY from the caller's
# environment, and require_kinds.
# shellcheck source=../script_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../script_lib.sh" "$@"
unset STRIPE_API_KEY

# require_kinds: skips the test (exit 77) when this seam predates resource
# kinds (ABI 1.2's host side), which every suite of the pack needs.
require_kinds() {
  cat >"$WORK/kinds.toml" <<'TOML'
[resources.m]
plugin = "stripe"
kind = "mock"
[[test]]
name = "t"
[[test.steps]]
use = "stripe.events"
TOML
  run_seam check "$WORK/kinds.toml"
  if [ "$rc" -ne 0 ] && [[ "$out" == *"provides no resources"* ]]; then
    echo "SKIPPED: this seam cannot open resource kinds (kind = \"mock\"): $out"
    exit 77
  fi
}
