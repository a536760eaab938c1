#!/usr/bin/env bash
# retry.sh - retry polls a step until its expectations hold (no more calls
# than needed), waits its interval (grown by backoff) between attempts, and
# says how many attempts it made when they run out.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

suite=$SUITES/retry.toml
run_seam run --verbose --report "json:$WORK/retry.json" "$suite"
expect_rc 1
expect_regex out '^      ok   poll \[probe\.count\] \([0-9]+ ms, 3 attempts\)$'
expect_regex out '^  PASS  retry until the counter reaches 3 \('
expect_line out "        step 'never enough' [probe.count] at $suite:25:1"
expect_line out "        count: expected ge 100, got 3 (after 3 attempts)"
expect_line out "        still down (after 2 attempts)"
expect_regex out '^  PASS  backoff grows the interval \('
expect_line out "2 passed, 2 failed, 0 skipped"

json_assert "$WORK/retry.json" '
s = step("retry until the counter reaches 3", 0)
assert s["status"] == "passed" and s["attempts"] == 3 and s["output"] == {"count": 3}, s
# Two waits of 10 ms between three attempts.
assert s["duration_ms"] >= 20, s["duration_ms"]
s = step("retry until the counter reaches 3", 1)
assert s["output"] == {"count": 4}, "retry called the step more often than needed: %r" % s

s = step("retries exhausted", 0)
assert s["status"] == "failed" and s["attempts"] == 3, s
assert s["error"] == "count: expected ge 100, got 3 (after 3 attempts)", s["error"]
assert s["failed_path"] == "count" and s["expected"] == 100 and s["actual"] == 3, s

s = step("a failing step is retried too", 0)
assert s["attempts"] == 2 and s["error"] == "still down (after 2 attempts)", s

# 20 + 40 + 80 ms of waiting with backoff 2 (140 ms; without backoff 60 ms).
s = step("backoff grows the interval", 0)
assert s["attempts"] == 4 and s["status"] == "passed", s
assert 135 <= s["duration_ms"] < 2000, s["duration_ms"]
'
finish
