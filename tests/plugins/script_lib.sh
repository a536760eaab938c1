# shellcheck shell=bash
# script_lib.sh - what the script tests of the net and fs plugins share,
# sourced by their lib.sh (source script_lib.sh SEAM PLUGIN_DIR). Runs seam
# with run_seam, and counts checks so that a test that checked nothing fails.
# HERE is the directory of the lib.sh that sourced this file.
SEAM=${1:?seam binary}
PLUGIN_DIR=${2:?plugin directory}
HERE=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
SOURCE_ROOT=$(cd "$HERE/../../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/seam-plugin-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
unset NO_COLOR

failures=0
checks=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# run_seam ARGS...: exit code in $rc, stdout+stderr in $out (and $WORK/out).
run_seam() {
  last_cmd="seam $*"
  rc=0
  "$SEAM" "$@" --plugin-path "$PLUGIN_DIR" >"$WORK/out" 2>&1 </dev/null || rc=$?
  out=$(cat "$WORK/out")
}

show() {
  echo "  command: $last_cmd (exit code $rc)" >&2
  sed 's/^/    | /' "$WORK/out" >&2
}

expect_rc() {
  checks=$((checks + 1))
  if [ "$rc" -ne "$1" ]; then
    fail "expected exit code $1, got $rc"
    show
  fi
}

expect_out() {
  checks=$((checks + 1))
  if [[ "$out" != *"$1"* ]]; then
    fail "output lacks \"$1\""
    show
  fi
}

# expect_all_passed SUITE REPORT: every step written in SUITE ran and passed.
expect_all_passed() {
  checks=$((checks + 1))
  if ! python3 - "$2" "$1" <<'PY'
import json, re, sys
report = json.load(open(sys.argv[1]))
steps = [s for suite in report.get("suites", []) for t in suite.get("tests", [])
         for s in t.get("steps", [])]
written = len(re.findall(r"^\[\[test\.steps\]\]", open(sys.argv[2]).read(), re.M))
bad = [s for s in steps if s.get("status") != "passed"]
if bad or len(steps) < written:
    print(f"{len(steps)} steps reported, {written} written, not passed: {bad}", file=sys.stderr)
    sys.exit(1)
PY
  then
    fail "the report does not show every step of $1 passing"
    show
  fi
}

# toml_blocks MARKDOWN DIR: writes each ```toml block of MARKDOWN to DIR/N.toml.
toml_blocks() {
  python3 - "$1" "$2" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for i, block in enumerate(re.findall(r"^```toml\n(.*?)^```", text, re.M | re.S)):
    open(f"{sys.argv[2]}/{i:02d}.toml", "w").write(block)
PY
}

finish() {
  if [ "$checks" -eq 0 ]; then
    echo "FAIL: no check ran" >&2
    exit 1
  fi
  echo "$((checks - failures)) passed, $failures failed"
  [ "$failures" -eq 0 ]
}
