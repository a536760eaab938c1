# shellcheck shell=bash
# lib.sh - helpers shared by the CLI test scripts (sourced by bash scripts
# that run with set -euo pipefail).
#
# The checks themselves are tests/lib/checks.sh's.

: "${SEAM:?SEAM must name the seam binary}"

CLI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SUITES=$CLI_DIR/suites
WORK=$(mktemp -d "${TMPDIR:-/tmp}/seam-cli.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# Colour must come from --color only, never from the environment of the CI
# job that runs these tests.
unset NO_COLOR
export TERM=dumb

. "$CLI_DIR/../lib/checks.sh"

# run_seam ARGS... : runs seam with stdout in $out, stderr in $err, both in
# $all, the exit code in $rc and the wall time in milliseconds in $elapsed_ms.
run_seam() {
  last_cmd="seam $*"
  local t0 t1
  t0=$(date +%s%N)
  rc=0
  "$SEAM" "$@" >"$WORK/stdout" 2>"$WORK/stderr" </dev/null || rc=$?
  t1=$(date +%s%N)
  elapsed_ms=$(((t1 - t0) / 1000000))
  out=$(cat "$WORK/stdout")
  err=$(cat "$WORK/stderr")
  all=$out$'\n'$err
}

show() {
  {
    echo "  command: $last_cmd"
    echo "  exit code: $rc (${elapsed_ms} ms)"
    echo "  stdout:"
    printf '%s\n' "$out" | sed 's/^/    | /'
    echo "  stderr:"
    printf '%s\n' "$err" | sed 's/^/    | /'
  } >&2
}

# expect_in WHERE TEXT... : each TEXT appears verbatim in $WHERE (out, err, all).
expect_in() {
  local where=$1 text
  shift
  for text in "$@"; do
    checks=$((checks + 1))
    if [[ "${!where}" != *"$text"* ]]; then
      fail "$where lacks \"$text\""
      show
    fi
  done
}

expect_not_in() {
  local where=$1 text
  shift
  for text in "$@"; do
    checks=$((checks + 1))
    if [[ "${!where}" == *"$text"* ]]; then
      fail "$where contains \"$text\""
      show
    fi
  done
}

# expect_line WHERE LINE : LINE is one whole line of $WHERE.
expect_line() {
  checks=$((checks + 1))
  if ! grep -qxF -- "$2" <<<"${!1}"; then
    fail "$1 has no line \"$2\""
    show
  fi
}

# expect_regex WHERE ERE : some line of $WHERE matches the extended regex.
expect_regex() {
  checks=$((checks + 1))
  if ! grep -qE -- "$2" <<<"${!1}"; then
    fail "$1 has no line matching /$2/"
    show
  fi
}

# expect_order WHERE TEXT... : the TEXTs appear in $WHERE in this order.
expect_order() {
  local where=$1 rest=${!1} text
  shift
  checks=$((checks + 1))
  for text in "$@"; do
    if [[ "$rest" != *"$text"* ]]; then
      fail "$where lacks \"$text\" (in order: $*)"
      show
      return
    fi
    rest=${rest#*"$text"}
  done
}

# expect_file_eq FILE CONTENT : the file holds exactly CONTENT (plus a final newline).
expect_file_eq() {
  checks=$((checks + 1))
  local got
  got=$(cat "$1" 2>/dev/null || echo "(no file $1)")
  if [ "$got" != "$2" ]; then
    fail "$1 should hold:"
    printf '%s\n' "$2" | sed 's/^/    = /' >&2
    echo "  but holds:" >&2
    printf '%s\n' "$got" | sed 's/^/    | /' >&2
  fi
}

# json_assert FILE PYTHON : runs PYTHON with the report loaded as `d`, plus
# helpers: suite(i), test(name), step(test_name, i), cleanup(test_name, i),
# phase(name) (the suite's setup/teardown list). Python asserts fail the check.
json_assert() {
  checks=$((checks + 1))
  local msg
  if ! msg=$("${PYTHON3:-python3}" - "$1" "$2" 2>&1 <<'PY'
import json, sys
path, code = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    d = json.load(f)
def suite(i=0):
    return d["suites"][i]
def test(name, s=None):
    for su in ([s] if s is not None else d["suites"]):
        for t in su["tests"]:
            if t["name"] == name:
                return t
    raise AssertionError("no test named %r in the report" % name)
def step(name, i):
    return test(name)["steps"][i]
def cleanup(name, i):
    return test(name)["cleanup"][i]
def phase(name, s=0):
    return d["suites"][s][name]
exec(compile(code, "<json_assert>", "exec"))
PY
  ); then
    fail "JSON report check failed on $1:"
    printf '%s\n' "$msg" | sed 's/^/    | /' >&2
    echo "  check:" >&2
    printf '%s\n' "$2" | sed 's/^/    > /' >&2
  fi
}

