#!/usr/bin/env bash
# console.sh - the console reporter and exit codes: a line per test
# (PASS/FAIL/SKIP with its time or reason), the failing step's location and
# message, and the closing "N passed, N failed, N skipped" line.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

run_seam run "$SUITES/passing.toml"
expect_rc 0 "every test passes"
expect_line out "all green  $SUITES/passing.toml"
expect_regex out '^  PASS  echo returns its input \([0-9]+ ms\)$'
expect_regex out '^  PASS  noop and matchers \([0-9]+ ms\)$'
expect_regex out '^2 tests in 1 suite, [0-9.]+ m?s$'
expect_line out "2 passed, 0 failed, 0 skipped"
expect_not_in out FAIL SKIP
[ -z "$err" ] || { fail "a passing run writes nothing to stderr"; show; }

run_seam run --report "json:$WORK/mixed.json" "$SUITES/mixed.toml"
expect_rc 1 "two tests fail"
expect_regex out '^  PASS  first passes \([0-9]+ ms\)$'
expect_regex out '^  FAIL  second fails an expectation \([0-9]+ ms\)$'
expect_line out "        step 'echo two' [probe.echo] at $SUITES/mixed.toml:17:1"
expect_line out "        input.n: expected 3, got 2"
expect_regex out '^  FAIL  third fails in the plugin \([0-9]+ ms\)$'
expect_line out "        step 'probe.fail' [probe.fail] at $SUITES/mixed.toml:31:1"
expect_line out "        the backend said no"
expect_line out "  SKIP  fourth is skipped (waiting for a fix)"
expect_regex out '^  PASS  fifth passes \([0-9]+ ms\)$'
expect_line out "2 passed, 2 failed, 1 skipped"
expect_order out "first passes" "second fails" "third fails" "fourth is skipped" "fifth passes" "2 passed"
# A test stops at its first failing step.
expect_not_in out "never reached"
json_assert "$WORK/mixed.json" '
t = test("second fails an expectation")
assert t["status"] == "failed", t["status"]
assert [s["name"] for s in t["steps"]] == ["echo two"], t["steps"]
assert test("fourth is skipped")["steps"] == []
assert d["summary"] == {"passed": 2, "failed": 2, "skipped": 1, "suite_errors": 0}, d["summary"]
'

# Several files: one summary over all of them, suites in the order given.
run_seam run "$SUITES/mixed.toml" "$SUITES/passing.toml"
expect_rc 1
expect_regex out '^7 tests in 2 suites, '
expect_line out "4 passed, 2 failed, 1 skipped"
expect_order out "mixed results  " "all green  "

# A directory runs its *.toml files (recursively, sorted by path).
mkdir -p "$WORK/dir/sub"
cp "$SUITES/passing.toml" "$WORK/dir/b.toml"
cp "$SUITES/mixed.toml" "$WORK/dir/sub/a.toml"
echo "not a suite" >"$WORK/dir/README.md"
run_seam run "$WORK/dir"
expect_rc 1
expect_line out "4 passed, 2 failed, 1 skipped"
expect_order out "$WORK/dir/b.toml" "$WORK/dir/sub/a.toml"
# Control characters in names and messages are shown, not obeyed.
printf '[[test]]\nname = "red \\u001b[31m name"\n[[test.steps]]\nuse = "probe.fail"\nwith = { message = "bell \\u0007 and \\u001b[2J clear" }\n' >"$WORK/ctl.toml"
run_seam run "$WORK/ctl.toml"
expect_rc 1
checks=$((checks + 1))
if grep -q $'[\x07\x1b]' "$WORK/stdout"; then fail "control characters reached the terminal"; show; fi
expect_in out 'red \x1b[31m name' 'bell \x07 and \x1b[2J clear'
finish
