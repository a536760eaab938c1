#!/usr/bin/env bash
# tap.sh - the TAP 14 report, read by a TAP consumer (tap-parser, in strict
# mode: a line that is not TAP is an error) and checked line by line against
# TAP 14's grammar: a subtest per suite, a test point per test, YAML
# diagnostics with message, location, expected and actual for failures,
# '# SKIP reason', '#' and '\' escaped in names.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${TAP_PARSER:?TAP_PARSER must name the tap-parser program (node-tap-parser)}"
# Debian's node modules, also for a Node.js that does not look there.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

tap=$WORK/out/report.tap
run_seam run --var "log=$WORK/resources.log" --report "tap:$tap" \
  "$SUITES/reports.toml" "$SUITES/setup_fails.toml" "$SUITES/tap.toml"
expect_rc 1
[ -s "$tap" ] || fail "no TAP report at $tap"

checks=$((checks + 1))
if ! "$TAP_PARSER" --strict -j <"$tap" >"$WORK/parsed.json" 2>"$WORK/parser.err"; then
  # tap-parser exits 1 when the TAP holds failed tests; its JSON is checked below.
  [ -s "$WORK/parsed.json" ] || { fail "tap-parser read nothing:"; sed 's/^/    | /' "$WORK/parser.err" >&2; }
fi

checks=$((checks + 1))
if ! msg=$("${PYTHON3:-python3}" - "$WORK/parsed.json" "$tap" "$SUITES" 2>&1 <<'PY'
import json, re, sys
events = json.load(open(sys.argv[1]))
text = open(sys.argv[2], encoding="utf-8").read()
suites_dir = sys.argv[3]

def complete(evs):
    return [e[1] for e in evs if e[0] == "complete"][0]

def asserts(evs):
    return [e[1] for e in evs if e[0] == "assert"]

assert events[0] == ["version", 14], events[0]
top = complete(events)
assert top["plan"] == {"start": 1, "end": 3, "skipAll": False, "skipReason": "", "comment": ""}, top["plan"]
assert (top["count"], top["pass"], top["fail"]) == (3, 0, 3), top
# strict mode: anything that is not TAP would be a failure without an id
assert all("id" in f for f in top["failures"]), top["failures"]
children = [e[1] for e in events if e[0] == "child"]
assert len(children) == 3
points = asserts(events)
assert [p["name"] for p in points] == ["reports & <escapes>", "setup fails", "tap # escapes \\ here"], points

reports, setup, esc = children
c = complete(reports)
assert (c["count"], c["pass"], c["fail"], c["skip"]) == (4, 2, 2, 1), c
a = asserts(reports)
assert [x["ok"] for x in a] == [True, False, False, True]
assert a[3]["skip"] == "needs a reason", a[3]
d = a[1]["diag"]
assert d["location"] == suites_dir + "/reports.toml:25:1", d
assert d["failed_path"] == "input.user" and d["severity"] == "fail", d
assert d["expected"] == {"name": "Alice", "roles": ["admin"]}, d
assert d["actual"] == {"name": "Bob", "roles": ["admin"]}, d
assert d["message"].endswith('input.user: expected {"name":"Alice","roles":["admin"]}, got {"name":"Bob","roles":["admin"]}'), d
d = a[2]["diag"]
assert d["message"].endswith("exploded: code=7") and d["step"] == "fail" and d["use"] == "probe.fail", d
assert d["logs"] == ["[log then fail] about to fail"], d

c = complete(setup)
assert (c["count"], c["skip"]) == (1, 1), c
assert asserts(setup)[0]["skip"].startswith("not run: setup failed"), asserts(setup)
suite_point = points[1]
assert suite_point["ok"] is False and "cannot seed the database" in suite_point["diag"]["message"], suite_point
assert suite_point["diag"]["steps"][0]["phase"] == "setup", suite_point

a = asserts(esc)
assert [x["name"] for x in a] == ["issue #12 \\ fixed", "skip with # in the reason", "fails with a list"], a
assert a[1]["skip"] == "see #34", a[1]
d = a[2]["diag"]
assert d["expected"] == [1, 2, 3], d
assert d["actual"] == [1, 2, {"deep": "yes: no # not a comment"}], d

# Line by line, TAP 14's grammar (the consumer is lenient about some).
yaml = None
for n, line in enumerate(text.splitlines(), 1):
    indent = len(line) - len(line.lstrip(" "))
    body = line[indent:]
    if yaml is not None:
        if body == "..." and indent == yaml:
            yaml = None
        else:
            assert indent >= yaml, "line %d: YAML outside its block: %r" % (n, line)
        continue
    if n == 1:
        assert line == "TAP version 14", line
    elif re.fullmatch(r"1\.\.\d+", body):
        assert indent in (0, 4), line
    elif re.fullmatch(r"(not )?ok \d+ - ([^#\\]|\\[#\\])+( # SKIP ([^#\\]|\\[#\\])+)?", body):
        assert indent in (0, 4), line
    elif body == "---":
        yaml = indent
        assert indent in (2, 6), line
    elif body.startswith("#"):
        pass
    else:
        raise AssertionError("line %d is not TAP: %r" % (n, line))
assert yaml is None, "a YAML block is not closed"
PY
); then
  fail "TAP report check failed:"
  printf '%s\n' "$msg" | sed 's/^/    | /' >&2
  sed 's/^/    : /' "$tap" >&2
fi

# A passing run: every point ok, and tap-parser agrees (exit code 0).
run_seam run --report "tap:$WORK/green.tap" "$SUITES/passing.toml"
expect_rc 0
checks=$((checks + 1))
"$TAP_PARSER" --strict <"$WORK/green.tap" >/dev/null 2>&1 || fail "tap-parser rejects the passing run's TAP"
expect_file_eq "$WORK/green.tap" "$(printf '%s\n' 'TAP version 14' '1..1' '# Subtest: all green' '    1..2' \
  '    ok 1 - echo returns its input' '    ok 2 - noop and matchers' 'ok 1 - all green' '# 2 passed, 0 failed, 0 skipped')"
finish
