# shellcheck shell=bash
# lib.sh - shared by the process plugin's script tests. Usage from a test:
#   source lib.sh SEAM PLUGIN_DIR
# Every process a test starts carries a unique marker on its command line
# (PROCESS_MARKER, passed by the suites as --marker); no_leftovers checks that
# none of them outlived seam.
SEAM=${1:?seam binary}
PLUGIN_DIR=${2:?plugin directory}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/seam-process-test.XXXXXX")
export PROCESS_FIXTURES=$HERE/fixtures
export PROCESS_MARKER="seam-process-test-$$-$RANDOM$RANDOM"
export PROCESS_WORK=$WORK
unset NO_COLOR

cleanup_work() {
  # Never leave a process of ours behind, even when a check failed.
  pkill -KILL -f "$PROCESS_MARKER" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup_work EXIT

failures=0
checks=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# seam runs under no_orphans.py: any process it leaves behind, marked or not,
# turns the exit code into 99 with the leftovers listed.
NO_ORPHANS=(python3 "$HERE/fixtures/no_orphans.py")

# run_seam ARGS...: exit code in $rc, stdout+stderr in $out (and $WORK/out).
# fd 7 is left open without close-on-exec, as a careless parent would: the
# services seam starts must not inherit it (suites check /proc/self/fd).
run_seam() {
  last_cmd="seam $*"
  rc=0
  "${NO_ORPHANS[@]}" -- "$SEAM" "$@" --plugin-path "$PLUGIN_DIR" >"$WORK/out" 2>&1 </dev/null \
    7</dev/null || rc=$?
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

expect_out_re() {
  checks=$((checks + 1))
  if ! grep -Eq -- "$1" <<<"$out"; then
    fail "output does not match /$1/"
    show
  fi
}

# wait_until SECONDS COMMAND...: true once COMMAND succeeds, false at the deadline.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.05
  done
}

none_left() { ! pgrep -f "$1" >/dev/null; }

# no_leftovers_of WHAT: no process whose command line matches WHAT remains.
# Processes killed with SIGKILL may take a moment to disappear: a deadline,
# no sleep. no_leftovers: none with this test's marker.
no_leftovers_of() {
  checks=$((checks + 1))
  if ! wait_until 10 none_left "$1"; then
    fail "processes left behind (pgrep -f $1):"
    pgrep -af "$1" >&2 || true
  fi
}

no_leftovers() { no_leftovers_of "$PROCESS_MARKER"; }

finish() {
  if [ "$checks" -eq 0 ]; then
    echo "FAIL: no check ran" >&2
    exit 1
  fi
  echo "$((checks - failures)) passed, $failures failed"
  [ "$failures" -eq 0 ]
}
