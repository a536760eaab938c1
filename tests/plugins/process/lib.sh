# shellcheck shell=bash
# lib.sh - shared by the process plugin's script tests. Usage from a test:
#   source lib.sh SEAM PLUGIN_DIR
# The plugins' script_lib.sh, and: every process a test starts carries a
# unique marker on its command line (PROCESS_MARKER, passed by the suites as
# --marker); no_leftovers checks that none of them outlived seam.
# shellcheck source=../script_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../script_lib.sh" "$@"
export PROCESS_FIXTURES=$HERE/fixtures
export PROCESS_MARKER="seam-process-test-$$-$RANDOM$RANDOM"
export PROCESS_WORK=$WORK

# Never leave a process of ours behind, even when a check failed.
on_exit() { pkill -KILL -f "$PROCESS_MARKER" 2>/dev/null || true; }

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
