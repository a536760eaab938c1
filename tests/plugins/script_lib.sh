# shellcheck shell=bash
# script_lib.sh - what the plugins' script tests share, sourced by each
# plugin's lib.sh (source script_lib.sh SEAM PLUGIN_DIR). Runs seam with
# run_seam, and counts checks so that a test that checked nothing fails.
# HERE is the directory of the lib.sh that sourced this file. A lib.sh may
# define on_exit (run before $WORK goes) and redefine run_seam.
SEAM=${1:?seam binary}
PLUGIN_DIR=${2:?plugin directory}
# Absolute, so that a test may cd (doc_examples runs suites from $WORK).
[[ "$SEAM" != */* ]] || SEAM=$(realpath -m -- "$SEAM")
PLUGIN_DIR=$(realpath -m -- "$PLUGIN_DIR")
HERE=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
SOURCE_ROOT=$(cd "$HERE/../../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/seam-plugin-test.XXXXXX")
script_lib_exit() {
  if declare -F on_exit >/dev/null; then
    on_exit || true
  fi
  rm -rf "$WORK"
}
trap script_lib_exit EXIT
unset NO_COLOR

. "$SOURCE_ROOT/tests/lib/checks.sh"

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

# expect_line LINE: the output has exactly this line.
expect_line() {
  checks=$((checks + 1))
  if ! grep -qxF -- "$1" <<<"$out"; then
    fail "no line \"$1\""
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

# run_passing SUITE [ARGS...]: seam runs SUITE (exit 0) and its JSON report
# shows every step written in it passing.
run_passing() {
  local suite=$1
  shift
  run_seam run "$suite" --report "json:$WORK/report.json" "$@"
  expect_rc 0
  expect_all_passed "$suite" "$WORK/report.json"
}

# check_bad_corpus DIR: `seam check` refuses each suite of DIR (exit 2) with a
# message that holds its `# expect:` lines and names the file; suites named
# run-*.toml pass the check and fail when run (exit 1), with their
# `# expect:` lines in the output.
check_bad_corpus() {
  local suite want
  for suite in "$1"/*.toml; do
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
}

# doc_examples MARKDOWN: every ```toml block of the page is a whole suite;
# each runs (from $WORK) and passes.
doc_examples() {
  local suite back=$PWD
  mkdir -p "$WORK/examples"
  toml_blocks "$1" "$WORK/examples"
  checks=$((checks + 1))
  compgen -G "$WORK/examples/*.toml" >/dev/null || fail "no toml block in $1"
  cd "$WORK"
  for suite in "$WORK"/examples/*.toml; do
    run_passing "$suite"
  done
  cd "$back"
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

