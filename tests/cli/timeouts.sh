#!/usr/bin/env bash
# timeouts.sh - a step's timeout stops a 5 s probe.sleep after 200 ms; a
# test's timeout bounds its steps together; [suite] step_timeout and
# --timeout set the default; cleanup runs after a timeout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

suite=$SUITES/timeouts.toml
run_seam run --verbose --report "json:$WORK/timeouts.json" "$suite"
expect_rc 1
[ "$elapsed_ms" -lt 3000 ] || fail "the timeouts suite took $elapsed_ms ms: a 5 s sleep was not cut short"
expect_line out "        step 'sleeps too long' [probe.sleep] at $suite:9:1"
expect_regex out '^        timed out after 200ms \(cancelled after [0-9]+ ms\)$'
expect_line out "        step 'the nap that passes the deadline' [probe.sleep] at $suite:29:1"
expect_regex out "^        timed out: the test's timeout passed during this step"
expect_order out "FAIL the nap that passes the deadline" "ok   cleanup: cleanup after a timeout" "FAIL  test timeout"
expect_regex out '^  PASS  a timeout is an error expect.error can match \('
expect_regex out '^  PASS  fast enough \('
expect_line out "2 passed, 2 failed, 0 skipped"
json_assert "$WORK/timeouts.json" '
s = step("step timeout", 0)
assert s["status"] == "failed" and "timed out" in s["error"], s
assert 190 <= s["duration_ms"] < 1500, s["duration_ms"]
t = test("test timeout")
assert [x["status"] for x in t["steps"]] == ["passed", "passed", "failed"], t["steps"]
# 300 ms for the whole test, although the last step allows itself 10 s.
assert 290 <= t["duration_ms"] < 1500, t["duration_ms"]
assert t["cleanup"][0]["status"] == "passed", t["cleanup"]
'

run_seam run "$SUITES/step_timeout_default.toml"
expect_rc 1
[ "$elapsed_ms" -lt 3000 ] || fail "step_timeout did not cut the sleep short ($elapsed_ms ms)"
expect_regex out '^        timed out after 150ms \('
expect_regex out '^  PASS  its own timeout wins \('

run_seam run --timeout 100ms "$SUITES/sleeper.toml"
expect_rc 1
[ "$elapsed_ms" -lt 3000 ] || fail "--timeout did not cut the sleep short ($elapsed_ms ms)"
expect_regex out '^        timed out after 100ms \('
expect_line out "0 passed, 1 failed, 0 skipped"

run_seam run --timeout 5 "$SUITES/sleeper.toml"
expect_rc 2 "a duration without a unit"
expect_in err "bad --timeout '5'"
[ -z "$out" ] || { fail "nothing runs after a bad --timeout"; show; }
finish
