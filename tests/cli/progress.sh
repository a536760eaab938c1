#!/usr/bin/env bash
# progress.sh - the live status line: on a terminal (a pseudo-terminal from
# script(1)), "[done/total] N failed, elapsed; running: ..." redrawn in place
# with \r while the usual lines scroll above it, the tests running at once
# under --jobs named, the final summary intact; no escape sequence with
# NO_COLOR; nothing of it when the output is piped or TERM is dumb.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
command -v script >/dev/null || { echo "script(1) (bsdutils) is needed" >&2; exit 1; }

# on_tty FILE ENV... -- ARGS... : runs seam on a pseudo-terminal $COLS (200)
# columns wide; what the terminal received goes to FILE, the exit code to $rc.
on_tty() {
  local file=$1 envs=() cmd
  shift
  while [ "$1" != -- ]; do
    envs+=("$1")
    shift
  done
  shift
  printf -v cmd '%q ' "$SEAM" "$@"
  last_cmd="script: ${envs[*]} seam $*"
  rc=0
  env "${envs[@]}" script -qfec "stty cols ${COLS:-200}; $cmd" /dev/null </dev/null >"$file" 2>&1 || rc=$?
}

# status_check FILE PYTHON : PYTHON runs with `raw` (the bytes as text),
# `lines` (split at \r\n, the terminal's newline) and `status` (the status
# lines drawn, in order).
status_check() {
  checks=$((checks + 1))
  local msg
  if ! msg=$("${PYTHON3:-python3}" - "$1" "$2" 2>&1 <<'PY'
import re, sys
raw = open(sys.argv[1], encoding="utf-8", errors="replace", newline="").read()
lines = raw.split("\r\n")
plain = re.sub(r"\x1b\[[0-9;]*[mK]", "", raw)
status = re.findall(r"\r(\[\d+/\d+\] \d+ failed, [^\r\n]*)", plain)
exec(compile(sys.argv[2], "<status_check>", "exec"))
PY
  ); then
    fail "status line check failed on $1:"
    printf '%s\n' "$msg" | sed 's/^/    | /' >&2
    echo "  terminal output:" >&2
    "${PYTHON3:-python3}" -c 'import sys; print(repr(open(sys.argv[1], "rb").read()[:4000]))' "$1" | sed 's/^/    : /' >&2
  fi
}

# Four tests that only pass together (probe.gather), then a suite with
# failures: NO_COLOR, so no escape sequence at all.
on_tty "$WORK/tty.out" TERM=xterm NO_COLOR=1 -- run --jobs 4 "$SUITES/parallel.toml" "$SUITES/mixed.toml"
expect_rc 1
status_check "$WORK/tty.out" '
assert "\x1b" not in raw, "an escape sequence despite NO_COLOR"
assert status, "no status line"
assert status[0].startswith("[0/9] 0 failed, "), status[0]
together = [s for s in status if all("parallel %d" % i in s for i in range(1, 5))]
assert together and "; running: " in together[0], "the four tests were never shown running at once"
assert any(s.startswith("[9/9] 2 failed, ") for s in status), status[-3:]
assert "6 passed, 2 failed, 1 skipped" in lines, lines[-4:]
# The usual lines are all there, each on a line of its own.
for want in ("  FAIL  second fails an expectation", "        input.n: expected 3, got 2",
             "  SKIP  fourth is skipped (waiting for a fix)", "9 tests in 2 suites"):
    assert any(l.split("\r")[-1].startswith(want) for l in lines), want
# The summary comes after the status line is wiped: nothing of it remains.
tail = raw[raw.rindex("[9/9]"):]
assert re.fullmatch(r"\[9/9\][^\r\n]*\r +\r\r\n9 tests in 2 suites, [^\r]*\r\n6 passed, 2 failed, 1 skipped\r\n", tail), repr(tail)
'

# Colours on a terminal: the line is wiped with erase-line (ESC [K).
on_tty "$WORK/color.out" TERM=xterm -- run "$SUITES/mixed.toml"
expect_rc 1
status_check "$WORK/color.out" '
assert "\r\x1b[K" in raw, "no erase-line"
assert "\x1b[31m1 failed" in raw, "the failure count is not red"
assert status and status[-1].startswith("[5/5] 2 failed, "), status[-2:]
assert any(l.endswith("2 passed, 2 failed, 1 skipped\x1b[0m") for l in lines), lines[-3:]
'

# TERM=dumb: a terminal that cannot go back; no status line.
on_tty "$WORK/dumb.out" TERM=dumb -- run "$SUITES/mixed.toml"
expect_rc 1
status_check "$WORK/dumb.out" '
assert not status and "\r[" not in raw, "a status line on a dumb terminal"
assert "2 passed, 2 failed, 1 skipped" in lines, lines[-3:]
'

# A narrow terminal: the line is cut to one column less than its width (a
# full row would wrap, and \r would no longer reach its start).
COLS=40 on_tty "$WORK/narrow.out" TERM=xterm NO_COLOR=1 -- run --jobs 4 "$SUITES/parallel.toml"
expect_rc 0
status_check "$WORK/narrow.out" '
assert status and max(len(s) for s in status) == 39, [s for s in status if len(s) >= 39][:3]
assert any(s.startswith("[0/4] 0 failed, 0s; running: parall") for s in status), status
assert "4 passed, 0 failed, 0 skipped" in lines, lines[-3:]
'

# Piped (CI): the usual lines only.
export TERM=xterm
run_seam run --jobs 4 "$SUITES/parallel.toml" "$SUITES/mixed.toml"
expect_rc 1
expect_not_in all $'\r' "[0/9]" "running:"
expect_line out "6 passed, 2 failed, 1 skipped"
finish
