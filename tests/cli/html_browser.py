"""html_browser.py CHROMIUM REPORT WORKDIR: the checks of html.sh in a real
headless Chromium (see html.sh). Exits non-zero with the failed assertion."""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Browser
chromium, html, work = sys.argv[1:4]
url = "file://" + html

def texts(b, selector):
    return b.eval("Array.from(document.querySelectorAll(%s)).map(e => e.textContent)" % json.dumps(selector))

def statuses(b):
    return b.eval("Array.from(document.querySelectorAll('.test')).map(e => e.dataset.status)")

def click(b, selector):
    assert b.eval("(function(){var e=document.querySelector(%s); if(!e) return false; e.click(); return true})()"
                  % json.dumps(selector)), "nothing to click at " + selector

with Browser(chromium, work + "/chrome-profile") as b:
    b.open(url, "document.body.dataset.ready")
    counts = {k: b.eval("document.getElementById('count-%s').textContent" % k)
              for k in ("total", "passed", "failed", "skipped", "suite-errors")}
    assert counts == {"total": "9", "passed": "3", "failed": "3", "skipped": "3", "suite-errors": "1"}, counts
    assert b.eval("performance.getEntriesByType('resource').length") == 0, "the page fetched something"
    assert b.eval("document.title").startswith("seam report"), b.eval("document.title")
    b.screenshot(work + "/report.png")

    # Failures first: the suite error, then each failed test with expected vs actual.
    assert b.eval("document.querySelector('main').firstElementChild.id") == "failures"
    names = texts(b, ".failure .test-name")
    assert names == ["setup fails", 'fails on "quotes" & <brackets>', "fails in the plugin", "total mismatch"], names
    card = '.failure[data-name="fails on \\"quotes\\" & <brackets>"]'
    assert json.loads(texts(b, card + " .expected pre")[0]) == {"name": "Alice", "roles": ["admin"]}
    assert json.loads(texts(b, card + " .actual pre")[0]) == {"name": "Bob", "roles": ["admin"]}
    assert texts(b, '.failure[data-name="total mismatch"] .expected pre') == ["41"]
    assert texts(b, '.failure[data-name="total mismatch"] .actual pre') == ["1"]
    assert "cannot seed the database" in texts(b, '.failure[data-suite="setup fails"] .message')[0]

    # Every suite is open in a small run; failed tests come first; a name's
    # markup is text.
    assert len(statuses(b)) == 9, statuses(b)
    assert statuses(b)[:2] == ["failed", "failed"], statuses(b)
    assert b.eval("document.querySelectorAll('.test .name b').length") == 0
    assert any(t.startswith('<b>bold</b> passes') for t in texts(b, ".test .name")), texts(b, ".test .name")
    assert b.eval("document.querySelectorAll('.suite > .head .bar').length") == 3

    # The status filter, by click: only failed tests, and the URL says so.
    click(b, "#filter-failed")
    assert statuses(b) == ["failed"] * 3, statuses(b)
    assert b.eval("location.hash") == "#filter=failed"
    click(b, "#filter-failed")  # again: all
    assert len(statuses(b)) == 9 and b.eval("location.hash") == ""

    # Text search, typed: words of a name, of a step, of a message.
    def search(q):
        b.eval("(function(){var s=document.getElementById('search'); s.value=%s;"
               "s.dispatchEvent(new Event('input'));})()" % json.dumps(q))
        return b.wait_for("location.hash.indexOf(%s) >= 0 && Array.from(document.querySelectorAll('.test'))"
                          ".map(e => e.dataset.name)" % json.dumps("q=" + q.split()[0]))
    assert search("needle-7c1") == ["searchable needle-7c1 test"]
    assert search("compare the total") == ["total mismatch"]
    assert search("exploded code=7") == ["fails in the plugin"]
    assert b.eval("document.getElementById('failures').hidden") is False

    # The same views from the URL alone.
    b.open(url + "#filter=skipped", "document.body.dataset.ready")
    assert statuses(b) == ["skipped"] * 3, statuses(b)
    assert b.eval("document.getElementById('failures').hidden") is True
    assert b.eval("document.getElementById('filter-skipped').getAttribute('aria-pressed')") == "true"
    b.open(url + "#filter=passed&q=bold", "document.body.dataset.ready")
    assert b.eval("Array.from(document.querySelectorAll('.test')).map(e => e.dataset.name)") == ["<b>bold</b> passes"]
    assert b.eval("document.getElementById('search').value") == "bold"

    # A test's steps open on click; a step shows its input and output, and a
    # body that holds JSON pretty-printed.
    click(b, '.test[data-name="<b>bold</b> passes"] > .head')
    click(b, '.test[data-name="<b>bold</b> passes"] .step > .head')
    b.eval("Array.from(document.querySelectorAll('.step details.io'))"
           ".find(d => d.querySelector('summary').textContent === 'input.body (JSON)').open = true")
    pre = b.wait_for("(function(){var d=Array.from(document.querySelectorAll('.step details.io'))"
                     ".find(d => d.querySelector('summary').textContent === 'input.body (JSON)');"
                     "var p = d && d.querySelector('pre'); return p && p.textContent})()")
    assert "\n  " in pre, "not pretty-printed: " + pre
    assert json.loads(pre)["items"][0]["name"].startswith("</script><script>"), pre
    assert b.eval("document.title") != "owned"

    # A resource's logs, under the suite's resources.
    click(b, '.suite[data-file$="html.toml"] .step > .head')
    logs = texts(b, '.suite[data-file$="html.toml"] .logs li')
    assert any("database ready </script><!-- on port 1234" in l for l in logs), logs
    print("render ms:", b.eval("document.body.dataset.renderMs"))
