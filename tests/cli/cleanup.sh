#!/usr/bin/env bash
# cleanup.sh - [[test.cleanup]] runs after a failed step, in reverse order of
# declaration; a cleanup step that needs a value the test never saved is
# skipped (the test keeps its own failure); a failing cleanup fails the test.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

suite=$SUITES/cleanup.toml
run_seam run --verbose --report "json:$WORK/cleanup.json" "$suite"
expect_rc 1
# Reverse order, after the failing step, visible in the verbose step lines.
expect_order out "FAIL break [probe.fail]" \
  "ok   cleanup: cleanup declared second [probe.echo]" \
  "ok   cleanup: cleanup declared first [probe.count]" \
  "FAIL  cleanup after a failed step"
expect_line out "        broken on purpose"
expect_regex out '^      skip cleanup: needs the id \[probe\.echo\]'
expect_line out "        step 'cleanup that fails' [probe.fail] at $suite:64:1"
expect_line out "        could not delete"
# The last test reads the counter both cleanups bumped: they really ran.
expect_regex out '^  PASS  both cleanups ran \('
expect_line out "1 passed, 3 failed, 0 skipped"

json_assert "$WORK/cleanup.json" '
t = test("cleanup after a failed step")
assert t["status"] == "failed"
assert t["message"].endswith("broken on purpose"), t["message"]
assert [s["name"] for s in t["steps"]] == ["create", "break"], t["steps"]
assert [(c["name"], c["status"]) for c in t["cleanup"]] == [
    ("cleanup declared second", "passed"), ("cleanup declared first", "passed")], t["cleanup"]
# The value saved before the failure reached the cleanup, with its type.
assert t["cleanup"][0]["input"] == {"created": 1}, t["cleanup"][0]

t = test("cleanup of a value never saved is skipped")
assert t["status"] == "failed"
assert t["message"].endswith("no id today"), "the skipped cleanup must not replace the failure: " + t["message"]
c = {c["name"]: c for c in t["cleanup"]}
assert c["needs the id"]["status"] == "skipped", c["needs the id"]
assert "later_id" in c["needs the id"]["error"] and "never set" in c["needs the id"]["error"], c["needs the id"]
assert c["needs nothing"]["status"] == "passed", c["needs nothing"]
assert [x["name"] for x in t["cleanup"]] == ["needs nothing", "needs the id"], t["cleanup"]

t = test("a failing cleanup fails a passing test")
assert t["status"] == "failed"
assert t["message"].startswith("cleanup failed: ") and t["message"].endswith("could not delete"), t["message"]

t = test("both cleanups ran")
assert t["status"] == "passed" and t["steps"][0]["output"] == {"count": 3}, t
'

# Without the JSON reporter (no step input/output recorded) cleanup runs the same.
run_seam run "$suite"
expect_rc 1
expect_regex out '^  PASS  both cleanups ran \('
expect_line out "1 passed, 3 failed, 0 skipped"
finish
