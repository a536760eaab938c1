# shellcheck shell=bash
# shellcheck disable=SC2034 # seam_pid, guard_pid: for the scripts sourcing this
# hang_suite.sh - sourced by kill9.sh and interrupt.sh: writes $WORK/hang.toml,
# a suite whose service (with a child of its own, ignoring SIGTERM) runs while
# a test waits on a long command, and start_hanging, which runs seam on it in
# the background and returns once everything is up.
cat >"$WORK/hang.toml" <<'TOML'
[resources.svc]
plugin = "process"
command = ["python3", "${env.PROCESS_FIXTURES}/service.py", "--port", "$${port.http}",
           "--marker", "${env.PROCESS_MARKER}", "--child", "--ignore-term"]
ports = ["http"]
ready = { log = "listening on" }
grace = "1s"

[[test]]
name = "waits"

[[test.steps]]
use = "process.exec"
with = { command = ["python3", "-c", "import time; time.sleep(300)", "${env.PROCESS_MARKER}"] }
timeout = "300s"
TOML

all_up() {
  pgrep -f "child-of $PROCESS_MARKER" >/dev/null &&
    pgrep -f "time.sleep\(300\).*$PROCESS_MARKER" >/dev/null
}

# start_hanging: seam's pid in $seam_pid and no_orphans.py's (its parent) in
# $guard_pid, once the service, its child and the long command all run.
start_hanging() {
  rm -f "$WORK/seam.pid"
  "${NO_ORPHANS[@]}" --pid-file "$WORK/seam.pid" -- "$SEAM" run "$WORK/hang.toml" \
    --plugin-path "$PLUGIN_DIR" >"$WORK/out" 2>&1 </dev/null &
  guard_pid=$!
  wait_until 30 test -s "$WORK/seam.pid"
  seam_pid=$(cat "$WORK/seam.pid")
  checks=$((checks + 1))
  if ! wait_until 60 all_up; then
    fail "the service and the command did not start"
    cat "$WORK/out" >&2
  fi
}
