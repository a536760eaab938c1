# shellcheck shell=bash
# lib.sh - shared helpers of the ABI test scripts (sourced, bash).
#
# The scripts drive the real seam binary ($SEAM) and fail with a message that
# shows the command and its whole output, so that a failure in CI explains
# itself without a rerun.

: "${SEAM:?SEAM must name the seam binary}"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/seam-abi.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

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

expect_rc() {
  if [ "$rc" -ne "$1" ]; then
    fail "expected exit code $1, got $rc"
    show
  fi
}

# expect_output TEXT... : every TEXT appears verbatim in $out.
expect_output() {
  local text
  for text in "$@"; do
    if [[ "$out" != *"$text"* ]]; then
      fail "output lacks \"$text\""
      show
    fi
  done
}

expect_no_output() {
  local text
  for text in "$@"; do
    if [[ "$out" == *"$text"* ]]; then
      fail "output contains \"$text\""
      show
    fi
  done
}

finish() {
  if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
  fi
  echo "all checks passed"
  exit 0
}
