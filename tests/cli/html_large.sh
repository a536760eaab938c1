#!/usr/bin/env bash
# html_large.sh - a run of 10,000 tests (10 suites of 1,000; every 50th
# fails, every 100th is skipped): its HTML report loads in headless
# Chromium with every count right while building only what is shown, and
# the time from navigation to the first render is printed (not asserted: the
# machine may be loaded).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${CHROMIUM:?CHROMIUM must name a Chromium binary}"

mkdir -p "$WORK/suites"
"${PYTHON3:-python3}" - "$WORK/suites" <<'PY'
import sys
for s in range(10):
    out = ['[suite]\nname = "large suite %d"\n' % s]
    for t in range(1000):
        n = s * 1000 + t
        out.append('[[test]]\nname = "test %05d"\n' % n)
        if n % 100 == 99:
            out.append('skip = "every hundredth"\n')
        out.append('[[test.steps]]\nuse = "probe.echo"\nwith = { n = %d, body = \'{"id":%d}\' }\n' % (n, n))
        out.append('expect = { "input.n" = %d }\n' % (n + 1 if n % 50 == 7 else n))
    open("%s/large_%d.toml" % (sys.argv[1], s), "w").write("".join(out))
PY
html=$WORK/large.html
run_seam run --report "html:$html" "$WORK/suites"
expect_rc 1
expect_line out "9700 passed, 200 failed, 100 skipped"
echo "seam ran 10,000 tests and wrote the report in ${elapsed_ms} ms; report: $(stat -c %s "$html") bytes"

checks=$((checks + 1))
if ! msg=$("${PYTHON3:-python3}" - "$CLI_DIR" "$CHROMIUM" "$html" "$WORK" 2>&1 <<'PY'
import sys, time
sys.path.insert(0, sys.argv[1])
from cdp import Browser
chromium, html, work = sys.argv[2:5]
with Browser(chromium, work + "/chrome-profile") as b:
    t0 = time.monotonic()
    b.open("file://" + html, "document.body.dataset.ready")
    wall = (time.monotonic() - t0) * 1000
    counts = [b.eval("document.getElementById('count-%s').textContent" % k) for k in ("total", "passed", "failed", "skipped")]
    assert counts == ["10000", "9700", "200", "100"], counts
    rows = b.eval("document.querySelectorAll('.test').length")
    cards = b.eval("document.querySelectorAll('.failure').length")
    assert 0 < rows <= 500 and 0 < cards <= 50, (rows, cards)  # built lazily
    # Scrolling to the end of the failures builds the next chunk.
    b.eval("document.querySelector('#failure-list .more').scrollIntoView()")
    b.wait_for("document.querySelectorAll('.failure').length > %d" % cards)
    # A search over all 10,000 tests.
    b.eval("var s=document.getElementById('search'); s.value='test 04242'; s.dispatchEvent(new Event('input'))")
    assert b.wait_for("document.getElementById('shown').dataset.count === '1' && "
                      "Array.from(document.querySelectorAll('.test')).map(e => e.dataset.name)") == ["test 04242"]
    b.screenshot(work + "/large.png")
    print("10,000 tests: first render at %s ms after navigation (performance.now); %.0f ms to ready as seen "
          "over the DevTools pipe; %d test rows and %d failure cards built" %
          (b.eval("document.body.dataset.renderMs"), wall, rows, cards))
PY
); then
  fail "in Chromium: $msg"
else
  echo "$msg"
fi
# Kept for a person to look at (the test's directory is removed).
if [ -n "${SEAM_ARTIFACTS:-}" ] && [ -s "$WORK/large.png" ]; then
  mkdir -p "$SEAM_ARTIFACTS" && cp "$WORK/large.png" "$SEAM_ARTIFACTS/" && echo "screenshot: $SEAM_ARTIFACTS/large.png"
fi
finish
