#!/usr/bin/env bash
# merge.sh - seam report merge on what it must refuse, each with a clear
# message and exit code 2 (nothing written): files that are not seam JSON
# reports (XML, broken JSON with its line:col, other JSON), reports of two
# seam versions, one report given twice, a test in two reports; usage
# errors; a report that cannot be written (exit 4); a report merged alone
# comes back unchanged.
set -euo pipefail
. "$(dirname "$0")/../cli/lib.sh"

cd "$WORK"
run_seam run "$SUITES/passing.toml" --report json:a.json --report junit:a.xml --report html:a.html
expect_rc 0
run_seam run "$SUITES/mixed.toml" --report json:b.json
expect_rc 1

run_seam report merge a.json b.json --report json:ab.json --report junit:ab.xml
expect_rc 1 "mixed.toml fails"
expect_line out "merged 2 reports: 4 passed, 2 failed, 1 skipped"
json_assert ab.json '
files = [s["file"].rsplit("/", 1)[1] for s in d["suites"]]
assert files == ["mixed.toml", "passing.toml"], files
t = test("second fails an expectation")
assert t["status"] == "failed" and t["steps"][0]["failed_path"] == "input.n", t
assert t["steps"][0]["expected"] == 3 and t["steps"][0]["actual"] == 2, t["steps"][0]
assert test("fourth is skipped")["message"] == "waiting for a fix"
assert d["summary"] == {"passed": 4, "failed": 2, "skipped": 1, "suite_errors": 0}, d["summary"]
'
# A merge of one report is that report again (its JUnit is the same).
run_seam report merge a.json --report junit:a2.xml
expect_rc 0
checks=$((checks + 1))
diff <(grep -v 'timestamp=\|hostname=' a.xml) <(grep -v 'timestamp=\|hostname=' a2.xml) >&2 ||
  fail "JUnit of a one-report merge differs from the run's own"

nothing_written() {
  checks=$((checks + 1))
  [ ! -e out.json ] || fail "a refused merge wrote out.json"
  rm -f out.json
}

# Not JSON reports.
run_seam report merge a.json a.xml --report json:out.json
expect_rc 2
expect_in err "a.xml:1:1: error: not a JSON report: this is XML or HTML" "1 error; nothing was written"
nothing_written
run_seam report merge a.html --report json:out.json
expect_rc 2
expect_in err "a.html:1:1: error: not a JSON report"
printf '{\n  "seam_version": "1",\n  "suites": [,]\n}\n' >broken.json
run_seam report merge broken.json --report json:out.json
expect_rc 2
expect_in err "broken.json:3:14: error: not a JSON report: syntax error" " 3 |   \"suites\": [,]"
nothing_written
echo '{"tests": []}' >other.json
run_seam report merge other.json --report json:out.json
expect_rc 2
expect_in err "other.json:1:1: error: not a seam JSON report: no \"seam_version\"" \
  "hint: merge the files that \`seam run --report json:PATH\` writes"
echo '{"seam_version": "1", "suites": [{"file": "x.toml", "setup": [], "teardown": []}]}' >shape.json
run_seam report merge shape.json --report json:out.json
expect_rc 2
expect_in err "not a seam JSON report: suites[0].tests is not a list"
run_seam report merge missing.json --report json:out.json
expect_rc 2
expect_in err "error: cannot read report missing.json"

# Two seam versions.
sed 's/"seam_version": "[^"]*"/"seam_version": "99.0.0"/' b.json >b99.json
run_seam report merge a.json b99.json --report json:out.json
expect_rc 2
expect_regex err '^b99\.json: error: written by seam 99\.0\.0, but a\.json by seam [0-9.]+$'
expect_in err "hint: merge reports of one seam version"
nothing_written

# One report twice; a test in two reports.
run_seam report merge a.json b.json a.json --report json:out.json
expect_rc 2
expect_in err "a.json: error: 2 tests are also in a.json ('echo returns its input' of $SUITES/passing.toml and more): a test ran twice"
nothing_written
run_seam run "$SUITES/passing.toml" --filter noop --report json:c.json
run_seam report merge a.json c.json --report json:out.json
expect_rc 2
expect_in err "c.json: error: 1 test is also in a.json ('noop and matchers' of $SUITES/passing.toml): a test ran twice"

# Usage.
run_seam report merge a.json
expect_rc 2
expect_in err "seam report merge writes nothing without --report"
run_seam report merge --report json:out.json
expect_rc 2
expect_in err "seam report merge needs the JSON reports to join"
run_seam report merge a.json --report xml:out.xml
expect_rc 2
expect_in err "bad --report 'xml:out.xml'" "KIND one of junit, json, tap, html"
run_seam report frobnicate
expect_rc 2
expect_in err "unknown command 'report frobnicate'"
run_seam report
expect_rc 2
expect_in err "seam report merge REPORT.json..."
run_seam report merge --help
expect_rc 0
expect_in out "--report" "Exit code 0 when every test passed"

# A report that cannot be written: exit code 4, the others still written.
mkdir ro && chmod 0555 ro
if [ "$(id -u)" -ne 0 ]; then
  run_seam report merge a.json --report json:ro/x.json --report junit:ok.xml
  expect_rc 4
  expect_in err "ro/x.json"
fi
: >file
run_seam report merge a.json --report json:file/x.json --report junit:ok.xml
expect_rc 4
expect_in err "file/x.json"
[ -s ok.xml ] || fail "the report that could be written was not"

# A JSON report merged alone comes back the same: every step with its input,
# output, logs, expected and actual values, setup and teardown included.
run_seam run --var "log=$WORK/log" "$SUITES/reports.toml" "$SUITES/setup_fails.toml" \
  --report json:r.json --report html:r.html
expect_rc 1
run_seam report merge r.json --report json:r2.json --report html:r2.html
expect_rc 1
checks=$((checks + 1))
"${PYTHON3:-python3}" - r.json r2.json <<'PY' || fail "the merged JSON report differs from the run's own"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert any(st.get("logs") for s in a["suites"] for t in s["tests"] for st in t["steps"])
assert a["suites"][1]["setup"] and a["suites"][1]["teardown"]
for d in (a, b):
    d.pop("run_id")
assert a == b, (a, b)
PY
# The HTML page of the merge embeds the same run as the run's own page,
# resources included.
checks=$((checks + 1))
"${PYTHON3:-python3}" - r.html r2.html <<'PY' || fail "the merged HTML report differs from the run's own"
import json, re, sys
def data(path):
    page = open(path, encoding="utf-8").read()
    m = re.search(r'<script type="application/json" id="seam-data">(.*?)</script>', page, re.S)
    return json.loads(m.group(1).replace("<\\/", "</"))
a, b = data(sys.argv[1]), data(sys.argv[2])
assert [r["name"] for r in a["suites"][1]["resources"]] == ["a", "b"], a["suites"][1]["resources"]
for d in (a, b):
    d.pop("run_id")
assert a == b, (a, b)
PY

finish
