#!/usr/bin/env bash
# skipped_suite.sh - a suite skipped under --skip-unavailable (its resource's
# service is down: the test plugin "kinds" opens a mock with down = true
# with SEAM_UNAVAILABLE) says why once: one console line naming the resource,
# its location and the plugin's message; its tests say "skipped with its
# suite"; the reports carry the reason once for the suite (JUnit: a
# property, TAP: the suite's SKIP, JSON: the suite's message).
set -euo pipefail
. "$(dirname "$0")/../cli/lib.sh"
XMLLINT=${XMLLINT:-xmllint}
cd "$WORK"
cat >down.toml <<'TOML'
[suite]
name = "service down"

[resources.fake]
plugin = "kinds"
kind = "mock"
down = true

[[test]]
name = "first"

[[test.steps]]
use = "kinds.mocked"

[[test]]
name = "second"

[[test.steps]]
use = "kinds.mocked"

[[test]]
name = "third"

[[test.steps]]
use = "kinds.mocked"
TOML
reason="resource 'fake' (down.toml:4:12) could not be opened: unavailable: kinds: the mocked service is down"
run_seam run --skip-unavailable down.toml --report junit:d.xml --report json:d.json --report tap:d.tap
expect_rc 0
expect_line out "  SKIP  suite skipped: open resource fake (down.toml:4:12): unavailable: kinds: the mocked service is down"
for t in first second third; do
  expect_line out "  SKIP  $t (skipped with its suite)"
done
expect_line out "0 passed, 0 failed, 3 skipped"
checks=$((checks + 1))
[ "$(grep -c 'the mocked service is down' <<<"$out")" = 1 ] || fail "the console says the reason more than once"

checks=$((checks + 1))
"$XMLLINT" --noout --schema "$CLI_DIR/junit.xsd" d.xml 2>"$WORK/xsd.log" || { fail "d.xml does not validate"; cat "$WORK/xsd.log" >&2; }
checks=$((checks + 1))
got=$("$XMLLINT" --xpath 'string(//testsuite/properties/property[@name="skipped"]/@value)' d.xml)
[ "$got" = "$reason" ] || fail "JUnit's skipped property is \"$got\""
checks=$((checks + 1))
[ "$(grep -c 'the mocked service is down' d.xml)" = 1 ] || fail "JUnit says the reason more than once"
checks=$((checks + 1))
[ "$("$XMLLINT" --xpath 'count(//testcase/skipped[@message="skipped with its suite"])' d.xml)" = 3 ] ||
  fail "JUnit's test cases do not say they were skipped with their suite"

checks=$((checks + 1))
grep -qxF "ok 1 - service down # SKIP $reason" d.tap || { fail "TAP's suite point lacks the reason"; cat d.tap >&2; }
checks=$((checks + 1))
[ "$(grep -c 'the mocked service is down' d.tap)" = 1 ] || fail "TAP says the reason more than once"

json_assert d.json '
s = suite(0)
assert s["status"] == "skipped" and s["message"] == "'"$reason"'", s.get("message")
assert [t["message"] for t in s["tests"]] == ["skipped with its suite"] * 3
'

# Without --skip-unavailable the suite fails, and its tests say why they did
# not run, as before.
run_seam run down.toml
expect_rc 1
expect_in out "not run: $reason"
finish
