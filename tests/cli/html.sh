#!/usr/bin/env bash
# html.sh - the HTML report: one self-contained file (no network; text that
# would end a <script> or open a comment stays data), checked in a real
# headless Chromium over the DevTools protocol (cdp.py): the counts, failures
# first with expected vs actual, the status filters and text search (by
# click and by the URL's #filter=/#q=), a step's input and output with a JSON
# body pretty-printed, a resource's logs, markup in names shown as text.
# Saves a screenshot in the test's directory.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${CHROMIUM:?CHROMIUM must name a Chromium binary}"

html=$WORK/out/report.html # out/ does not exist yet
run_seam run --var "log=$WORK/resources.log" --report "html:$html" \
  "$SUITES/reports.toml" "$SUITES/setup_fails.toml" "$SUITES/html.toml"
expect_rc 1
[ -s "$html" ] || fail "no HTML report at $html"

# The file alone: nothing fetched, exactly one data element, and the data
# holds no '<' that could end it.
checks=$((checks + 1))
if ! msg=$("${PYTHON3:-python3}" - "$html" 2>&1 <<'PY'
import json, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
assert not re.search(r"<(script|link|img|iframe|object|embed)\b[^>]*\b(src|href)\s*=", page, re.I), "the page loads something"
assert "http://" not in page and "https://" not in page, "the page names a URL"
assert len(re.findall(r"</script", page, re.I)) == 2, "expected the data and the script element only"
start = page.index('<script type="application/json" id="seam-data">') + len('<script type="application/json" id="seam-data">')
data = page[start:page.index("</script>", start)]
assert "<" not in data, "a '<' in the embedded data"
d = json.loads(data)
assert [s["name"] for s in d["suites"]] == ["reports & <escapes>", "setup fails", "html </script><!-- report"], d["suites"]
assert d["summary"] == {"passed": 3, "failed": 3, "skipped": 3, "suite_errors": 1}, d["summary"]
for s in d["suites"]:
    assert s["start_ms"] >= 0 and s["duration_ms"] >= 0, s
PY
); then
  fail "the HTML file: $msg"
fi

checks=$((checks + 1))
if ! msg=$("${PYTHON3:-python3}" "$CLI_DIR/html_browser.py" "$CHROMIUM" "$html" "$WORK" 2>&1); then
  fail "in Chromium: $msg"
else
  echo "$msg"
fi

# Kept for a person to look at (the test's directory is removed).
if [ -n "${SEAM_ARTIFACTS:-}" ] && [ -s "$WORK/report.png" ]; then
  mkdir -p "$SEAM_ARTIFACTS" && cp "$WORK/report.png" "$SEAM_ARTIFACTS/" && echo "screenshot: $SEAM_ARTIFACTS/report.png"
fi
finish
