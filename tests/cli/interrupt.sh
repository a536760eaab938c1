#!/usr/bin/env bash
# interrupt.sh - Ctrl-C, a second Ctrl-C, SIGTERM, and plugins that ignore
# their deadline: the run always ends, promptly, with the documented exit
# code, the console summary and complete JUnit and JSON reports.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

cat >"$WORK/slow.toml" <<'TOML'
[suite]
name = "slow"

[[test]]
name = "first"
[[test.steps]]
use = "probe.noop"

[[test]]
name = "cooperative"
[[test.steps]]
name = "long sleep"
use = "probe.sleep"
with = { ms = 60000 }
[[test.cleanup]]
name = "tidy up"
use = "probe.echo"
with = { cleaned = true }

[[test]]
name = "never reached"
[[test.steps]]
use = "probe.noop"
TOML

cat >"$WORK/stuck.toml" <<'TOML'
[suite]
name = "stuck"

[[test]]
name = "first"
[[test.steps]]
use = "probe.noop"

[[test]]
name = "blocks"
[[test.steps]]
name = "ignores its deadline"
use = "probe.block"
with = { ms = 60000 }
timeout = "200ms"

[[test]]
name = "never reached"
[[test.steps]]
use = "probe.noop"
TOML

# start_seam ARGS... : seam in the background; $pid, output in $WORK/bg.*.
start_seam() {
  last_cmd="seam $*"
  "$SEAM" "$@" >"$WORK/bg.out" 2>"$WORK/bg.err" </dev/null &
  pid=$!
  t0=$(date +%s%N)
}
# finish_seam : waits (at most 20 s) and fills $rc, $out, $err, $elapsed_ms.
finish_seam() {
  local i
  for i in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    fail "seam still runs 20 s later: killing it"
    kill -KILL "$pid"
  fi
  rc=0
  wait "$pid" || rc=$?
  elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
  out=$(cat "$WORK/bg.out")
  err=$(cat "$WORK/bg.err")
}
reports() {
  echo --report "junit:$WORK/$1.xml" --report "json:$WORK/$1.json" --report "tap:$WORK/$1.tap" \
    --report "html:$WORK/$1.html"
}
# complete_tap_html NAME INTERRUPTED : the TAP report closes with its
# summary, the HTML page holds the whole run; both say whether the run was
# interrupted (True/False).
complete_tap_html() {
  checks=$((checks + 1))
  "${PYTHON3:-python3}" - "$WORK/$1.tap" "$WORK/$1.html" "$2" <<'PY' || fail "$1.tap or $1.html is not complete"
import json, re, sys
tap = open(sys.argv[1]).read()
page = open(sys.argv[2]).read()
interrupted = sys.argv[3] == "True"
assert re.search(r"\n# \d+ passed, \d+ failed, \d+ skipped\n$", tap), tap[-300:]
assert ("# interrupted" in tap) == interrupted, tap
start = page.index('id="seam-data">') + len('id="seam-data">')
d = json.loads(page[start:page.index("</script>", start)])
assert d["suites"] and d["interrupted"] == interrupted and page.rstrip().endswith("</html>"), d.keys()
PY
}
valid_junit() {
  checks=$((checks + 1))
  "${XMLLINT:-xmllint}" --noout --schema "$CLI_DIR/junit.xsd" "$1" 2>"$WORK/xsd.err" ||
    { fail "$1 does not validate"; cat "$WORK/xsd.err" >&2; }
}
took_less_than() {
  checks=$((checks + 1))
  [ "$elapsed_ms" -lt "$1" ] || { fail "took $elapsed_ms ms (limit $1 ms)"; show; }
}

# One Ctrl-C: the sleeping step is cancelled, its cleanup still runs, the
# rest is not run; exit code 130.
# shellcheck disable=SC2046
start_seam run $(reports int) "$WORK/slow.toml"
sleep 0.5
kill -INT "$pid"
finish_seam
expect_rc 130 "one Ctrl-C"
took_less_than 5000
expect_in out "PASS  first" "FAIL  cooperative" "not run: interrupted"
valid_junit "$WORK/int.xml"
complete_tap_html int True
json_assert "$WORK/int.json" '
assert test("first")["status"] == "passed"
c = test("cooperative")
assert c["status"] == "failed", c
assert [s["name"] for s in c["cleanup"]] == ["tidy up"] and c["cleanup"][0]["status"] == "passed", c["cleanup"]
assert test("never reached")["status"] == "skipped"
assert d["interrupted"] is True, d.keys()
'

# SIGTERM (a CI job cancelled): cleanup is cancelled too, exit code 130.
# shellcheck disable=SC2046
start_seam run $(reports term) "$WORK/slow.toml"
sleep 0.5
kill -TERM "$pid"
finish_seam
expect_rc 130 "SIGTERM"
took_less_than 5000
valid_junit "$WORK/term.xml"
json_assert "$WORK/term.json" '
assert test("cooperative")["status"] == "failed"
assert test("never reached")["status"] == "skipped"
'

# A plugin call that ignores its deadline: --grace after the deadline, the
# run ends with the reports complete (the test failed, the rest not run).
for jobs in 1 2; do
  # shellcheck disable=SC2046
  start_seam run --jobs "$jobs" --grace 500ms $(reports "stuck$jobs") "$WORK/stuck.toml"
  finish_seam
  expect_rc 1 "stuck plugin, --jobs $jobs"
  took_less_than 10000
  expect_in err "error: step 'ignores its deadline' [probe.block] at $WORK/stuck.toml:11:1 did not return 500ms after its deadline"
  expect_in out "FAIL  blocks"
  expect_regex out '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$'
  valid_junit "$WORK/stuck$jobs.xml"
  complete_tap_html "stuck$jobs" False
  json_assert "$WORK/stuck$jobs.json" '
b = test("blocks")
assert b["status"] == "failed" and "ignores cancellation" in b["message"], b
assert test("first")["status"] == "passed"
n = test("never reached")
# beside the stuck test (--jobs 2), or after it in a fresh worker (--jobs 1)
assert n["status"] == "passed", n
assert suite()["status"] == "failed"
'
done

# SIGTERM while a plugin ignores cancellation: ended 2 s later, exit 130.
# shellcheck disable=SC2046
start_seam run --grace 60s $(reports termstuck) "$WORK/stuck.toml"
sleep 0.5
kill -TERM "$pid"
finish_seam
expect_rc 130 "SIGTERM, stuck plugin"
took_less_than 8000
expect_in err "interrupted: the run did not stop within"
valid_junit "$WORK/termstuck.xml"
complete_tap_html termstuck True
json_assert "$WORK/termstuck.json" '
assert test("blocks")["status"] == "failed"
'

run_seam run --grace 0s "$WORK/stuck.toml"
expect_rc 2 "--grace 0s"
expect_in err "bad --grace '0s'"
# SIGTERM and Ctrl-C while suites load: seam stops at once, exit 130. The
# suite is a FIFO that seam reads and nobody writes to: opening it for writing
# returns once seam has it open, so seam is surely still loading.
for sig in TERM INT; do
  mkfifo "$WORK/loading.toml"
  start_seam run "$WORK/loading.toml"
  exec 3>"$WORK/loading.toml"
  kill -"$sig" "$pid"
  finish_seam
  exec 3>&-
  rm -f "$WORK/loading.toml"
  expect_rc 130 "SIG$sig while loading"
  expect_in err "interrupted while loading suites; nothing was run"
done
finish
