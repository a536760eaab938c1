#!/usr/bin/env bash
# teardown.sh - teardown runs after a failed test and after a failed setup;
# resources open in dependency order and close in reverse order (the probe
# resource appends "open NAME"/"close NAME" to a log file); a resource that
# cannot open leaves the others closed and the tests not run.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

log=$WORK/resources.log
run_seam run --verbose --var "log=$log" --report "json:$WORK/teardown.json" "$SUITES/teardown.toml"
expect_rc 1 "one test fails"
expect_file_eq "$log" $'open a\nopen b\nclose b\nclose a'
expect_order out "ok   setup: open resource a [probe]" "ok   setup: open resource b [probe]" \
  "ok   setup: setup step [probe.resource_tag]" "FAIL  a test that fails" "PASS  a test that passes" \
  "ok   teardown: teardown one [probe.count]" "ok   teardown: teardown two [probe.count]" \
  "1 passed, 1 failed, 0 skipped"
json_assert "$WORK/teardown.json" '
td = phase("teardown")
assert [(s["name"], s["status"]) for s in td] == [("teardown one", "passed"), ("teardown two", "passed")], td
assert td[1]["output"] == {"count": 2}, td[1]
su = phase("setup")
assert [s["name"] for s in su] == ["open resource a", "open resource b", "setup step"], su
# What a resource publishes is its output; b saw a attributes when it opened.
assert su[1]["input"]["tag"] == "after-first", su[1]
assert su[0]["output"] == {"tag": "first", "name": "a", "port": 1234}, su[0]
assert d["summary"]["suite_errors"] == 0, d["summary"]
'

rm -f "$log"
run_seam run --verbose --var "log=$log" --report "json:$WORK/setup.json" "$SUITES/setup_fails.toml"
expect_rc 1 "a failed setup is a suite error"
expect_file_eq "$log" $'open a\nopen b\nclose b\nclose a'
expect_line out "  ERROR setup: setup that breaks ($SUITES/setup_fails.toml:14:1)"
expect_line out "        cannot seed the database"
expect_regex out "^  SKIP  never runs \(not run: setup failed: step 'setup that breaks' .*cannot seed the database\)$"
expect_order out "FAIL setup: setup that breaks" "SKIP  never runs" "ok   teardown: teardown after a failed setup [probe.noop]"
expect_line out "1 suite error (resources, setup or teardown)"
expect_line out "0 passed, 0 failed, 1 skipped"
json_assert "$WORK/setup.json" '
assert [(s["name"], s["status"]) for s in phase("teardown")] == [("teardown after a failed setup", "passed")]
assert test("never runs")["status"] == "skipped"
assert suite()["status"] == "failed" and "cannot seed the database" in suite()["message"], suite()
assert d["summary"]["suite_errors"] == 1, d["summary"]
'

rm -f "$log"
run_seam run --var "log=$log" "$SUITES/resource_fails.toml"
expect_rc 1 "a resource that cannot open is a suite error"
expect_file_eq "$log" $'open a\nclose a'
expect_line out "  ERROR setup: open resource b ($SUITES/resource_fails.toml:10:12)"
expect_line out "        cannot reach the backend"
expect_regex out "^  SKIP  never runs \(not run: resource 'b' .*could not be opened: cannot reach the backend\)$"
expect_line out "0 passed, 0 failed, 1 skipped"

run_seam run --verbose "$SUITES/teardown_fails.toml"
expect_rc 1 "a failed teardown is a suite error even when every test passed"
expect_line out "  ERROR teardown: broken teardown ($SUITES/teardown_fails.toml:12:1)"
expect_line out "        cannot drop table"
expect_order out "FAIL teardown: broken teardown" "ok   teardown: later teardown [probe.noop]" \
  "1 suite error (resources, setup or teardown)" "1 passed, 0 failed, 0 skipped"
finish
