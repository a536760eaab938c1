#!/usr/bin/env bash
# reports.sh - the JUnit report validates against junit.xsd and counts what
# ran (checked by XPath); the JSON report records every step's input, output,
# status and duration; reports are written atomically, their directories are
# created, and a report that cannot be written is exit code 4.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

XMLLINT=${XMLLINT:-xmllint}
xsd=$CLI_DIR/junit.xsd

# xpath_eq FILE XPATH EXPECTED : the string value of XPATH is EXPECTED.
xpath_eq() {
  checks=$((checks + 1))
  local got
  got=$("$XMLLINT" --xpath "$2" "$1" 2>&1) || true
  if [ "$got" != "$3" ]; then
    fail "$1: $2 is \"$got\", expected \"$3\""
  fi
}

validates() {
  checks=$((checks + 1))
  local msg
  if ! msg=$("$XMLLINT" --noout --schema "$xsd" "$1" 2>&1); then
    fail "$1 does not validate against junit.xsd:"
    printf '%s\n' "$msg" | sed 's/^/    | /' >&2
    sed 's/^/    : /' "$1" >&2
  fi
}

junit=$WORK/out/junit/report.xml # the directories do not exist yet
json=$WORK/out/json/deeper/report.json
run_seam run --var "log=$WORK/resources.log" --report "junit:$junit" --report "json:$json" \
  "$SUITES/reports.toml" "$SUITES/setup_fails.toml"
expect_rc 1
[ -s "$junit" ] || fail "no JUnit report at $junit (its directories should have been created)"
[ -s "$json" ] || fail "no JSON report at $json (its directories should have been created)"

validates "$junit"
xpath_eq "$junit" 'count(/testsuites/testsuite)' 2
xpath_eq "$junit" 'string(/testsuites/@failures)' 2
xpath_eq "$junit" 'string(/testsuites/@skipped)' 2
xpath_eq "$junit" 'string(/testsuites/@errors)' 1
r='/testsuites/testsuite[1]'
xpath_eq "$junit" "string($r/@name)" "reports & <escapes>"
xpath_eq "$junit" "string($r/@tests)" 4
xpath_eq "$junit" "string($r/@failures)" 2
xpath_eq "$junit" "string($r/@errors)" 0
xpath_eq "$junit" "string($r/@skipped)" 1
xpath_eq "$junit" "count($r/testcase)" 4
xpath_eq "$junit" "count($r/testcase/failure)" 2
xpath_eq "$junit" "string($r/testcase[@name='passes with a log']/@classname)" "reports & <escapes>"
xpath_eq "$junit" "count($r/testcase[@name='passes with a log']/failure)" 0
xpath_eq "$junit" "string($r/testcase[@name='passes with a log']/system-out)" "[say hello] hello from the probe <&>"
xpath_eq "$junit" "string($r/testcase[starts-with(@name, 'fails on')]/@name)" 'fails on "quotes" & <brackets>'
xpath_eq "$junit" "string($r/testcase[@name='fails in the plugin']/failure/@message)" \
  "step 'fail' ($SUITES/reports.toml:39:1): exploded: code=7"
xpath_eq "$junit" "contains($r/testcase[starts-with(@name, 'fails on')]/failure, 'actual:   {\"name\":\"Bob\"')" true
xpath_eq "$junit" "string($r/testcase[@name='skipped']/skipped/@message)" "needs a reason"
s='/testsuites/testsuite[2]'
xpath_eq "$junit" "string($s/@name)" "setup fails"
xpath_eq "$junit" "string($s/@errors)" 1
xpath_eq "$junit" "count($s/testcase/error)" 1
xpath_eq "$junit" "contains($s/testcase/error/@message, 'cannot seed the database')" true
xpath_eq "$junit" "string($s/testcase[@name='never runs']/skipped/@message)" \
  "not run: setup failed: step 'setup that breaks' ($SUITES/setup_fails.toml:14:1): cannot seed the database"
# Times are seconds with a decimal point, the timestamp has no zone (Ant).
xpath_eq "$junit" "boolean(number($r/@time) >= 0)" true

json_assert "$json" '
import re
assert set(d) >= {"run_id", "started_at", "seam_version", "suites", "summary", "duration_ms"}, sorted(d)
assert d["summary"] == {"passed": 1, "failed": 2, "skipped": 2, "suite_errors": 1}, d["summary"]
assert [s["name"] for s in d["suites"]] == ["reports & <escapes>", "setup fails"]
every = []
for s in d["suites"]:
    every += s["setup"] + s["teardown"]
    for t in s["tests"]:
        every += t["steps"] + t["cleanup"]
# reports: 5 test steps; setup_fails: 2 resources opened, 1 setup, 1 teardown.
assert len(every) == 9, len(every)
for s in every:
    for k in ("name", "use", "status", "input", "output", "start_ms", "duration_ms", "location", "phase"):
        assert k in s, "step %r lacks %r" % (s.get("name"), k)
    assert s["status"] in ("passed", "failed", "skipped"), s
    assert isinstance(s["duration_ms"], (int, float)) and s["duration_ms"] >= 0, s
    assert re.search(r":[0-9]+:[0-9]+$", s["location"]), s["location"]

# start_ms: since the run started; the steps of a test lie inside it, the
# tests inside their suite, in order.
for su in d["suites"]:
    last = su["start_ms"]
    for t in su["tests"]:
        if not t["steps"]:
            continue
        assert t["start_ms"] >= last - 0.002, (t["name"], t["start_ms"], last)
        for st in t["steps"]:
            assert t["start_ms"] <= st["start_ms"] <= st["start_ms"] + st["duration_ms"] <= t["start_ms"] + t["duration_ms"] + 0.002, (t, st)
        last = t["start_ms"] + t["duration_ms"]
    assert last <= su["start_ms"] + su["duration_ms"] + 0.002, su["name"]

t = test("passes with a log")
assert t["tags"] == ["fast"] and t["status"] == "passed", t
hello, echo = t["steps"]
assert hello["input"] == {"message": "hello from the probe <&>"}, hello
assert hello["output"] == {}, hello
assert hello["logs"] == [{"level": "info", "message": "hello from the probe <&>"}], hello
assert echo["input"] == {"id": 42, "name": "Ada", "list": [1, 2, 3], "nested": {"ok": True}}, echo
assert echo["output"] == {"input": echo["input"]}, echo
assert echo["status"] == "passed" and "error" not in echo, echo

s = step("fails on \"quotes\" & <brackets>", 0)
assert s["status"] == "failed" and s["failed_path"] == "input.user", s
assert s["expected"] == {"name": "Alice", "roles": ["admin"]}, s
assert s["actual"] == {"name": "Bob", "roles": ["admin"]}, s

s = step("fails in the plugin", 1)
assert s["status"] == "failed" and s["error"] == "exploded: code=7" and s["output"] is None, s
assert test("skipped")["status"] == "skipped" and test("skipped")["message"] == "needs a reason"
'

# Every run that wrote reports left no temporary file behind.
leftovers=$(find "$WORK" -name '*.tmp-*')
[ -z "$leftovers" ] || fail "temporary report files left behind: $leftovers"

# A passing run's JUnit validates too (empty testcase elements).
run_seam run --report "junit:$WORK/green.xml" "$SUITES/passing.toml"
expect_rc 0
validates "$WORK/green.xml"
xpath_eq "$WORK/green.xml" 'string(/testsuites/@tests)' 2
xpath_eq "$WORK/green.xml" 'count(//failure | //error | //skipped)' 0

# A report that replaces an older one is replaced whole.
printf 'old content that is much longer than the new report %.0s' {1..200} >"$WORK/green.xml"
run_seam run --report "junit:$WORK/green.xml" "$SUITES/passing.toml"
expect_rc 0
validates "$WORK/green.xml"

# A report that cannot be written: exit code 4, the reason on stderr, and the
# other report and the console output still complete.
echo "a file, not a directory" >"$WORK/blocker"
run_seam run --report "json:$WORK/blocker/report.json" --report "junit:$WORK/ok.xml" "$SUITES/passing.toml"
expect_rc 4 "report under a regular file"
expect_in err "cannot write report $WORK/blocker/report.json"
expect_line out "2 passed, 0 failed, 0 skipped"
validates "$WORK/ok.xml"

mkdir -p "$WORK/a-directory"
run_seam run --report "junit:$WORK/a-directory" "$SUITES/mixed.toml"
expect_rc 4 "report path is a directory (exit 4 wins over the failed tests' 1)"
expect_in err "cannot write report $WORK/a-directory"
leftovers=$(find "$WORK" -name '*.tmp-*')
[ -z "$leftovers" ] || fail "a failed report write left a temporary file: $leftovers"
finish
