# shellcheck shell=bash
# lib.sh - shared helpers of the ABI test scripts (sourced, bash).
#
# The scripts drive the real seam binary ($SEAM) and fail with a message that
# shows the command and its whole output, so that a failure in CI explains
# itself without a rerun.

: "${SEAM:?SEAM must name the seam binary}"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/seam-abi.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

. "$(dirname "${BASH_SOURCE[0]}")/../lib/checks.sh"

# run_seam ARGS... : runs seam, leaving the exit code in $rc and stdout+stderr
# in $out.
run_seam() {
  last_cmd="seam $*"
  out=$("$SEAM" "$@" 2>&1)
  rc=$?
}

show() {
  echo "  command: $last_cmd" >&2
  echo "  exit code: $rc" >&2
  echo "  output:" >&2
  printf '%s\n' "$out" | sed 's/^/    | /' >&2
}

