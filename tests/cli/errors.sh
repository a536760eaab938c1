#!/usr/bin/env bash
# errors.sh - error-path tests: expect.error passes when the step fails with a
# matching message, and fails the test when the step succeeds or fails with
# another message; an unexpected failure shows the plugin's message.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

suite=$SUITES/errors.toml
run_seam run --report "json:$WORK/errors.json" "$suite"
expect_rc 1
expect_regex out '^  PASS  expected failure with a matching message \('
expect_regex out '^  FAIL  step succeeds but should fail \('
expect_line out "        step 'echo cannot fail' [probe.echo] at $suite:27:1"
expect_line out "        expected the step to fail, but it succeeded"
expect_regex out '^  FAIL  step fails with another message \('
expect_line out "        step 'wrong failure' [probe.fail] at $suite:36:1"
expect_line out '        error: expected matches "^refused", got "timeout talking to the database"'
expect_regex out '^  FAIL  unexpected failure \('
expect_line out "        boom: exploded"
expect_line out "1 passed, 3 failed, 0 skipped"

json_assert "$WORK/errors.json" '
ok = test("expected failure with a matching message")
assert ok["status"] == "passed"
assert [s["status"] for s in ok["steps"]] == ["passed"] * 3, ok["steps"]
# The error a step was expected to raise is its output.
assert ok["steps"][0]["output"] == {"error": "connection refused by 127.0.0.1:9"}, ok["steps"][0]
assert ok["steps"][1]["output"] == {"error": "probe failure"}, ok["steps"][1]

s = step("step succeeds but should fail", 0)
assert s["status"] == "failed" and s["error"] == "expected the step to fail, but it succeeded", s
assert s["output"] == {"input": {"x": 1}}, s["output"]

s = step("step fails with another message", 0)
assert s["status"] == "failed", s
assert s["failed_path"] == "error", s
assert s["expected"] == "^refused" and s["actual"] == "timeout talking to the database", s

s = step("unexpected failure", 0)
assert s["status"] == "failed" and s["error"] == "boom: exploded", s
'
finish
