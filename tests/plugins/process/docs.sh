#!/usr/bin/env bash
# docs.sh SEAM PLUGIN_DIR: every ```toml block of docs/plugins/process.md is a
# complete suite; each runs as written, passes, and leaves nothing behind.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
DOC=$HERE/../../../docs/plugins/process.md

python3 - "$DOC" "$WORK" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
blocks = re.findall(r"^```toml\n(.*?)^```", text, re.S | re.M)
for i, b in enumerate(blocks):
    open(f"{sys.argv[2]}/doc_{i}.toml", "w").write(b)
print(f"{len(blocks)} examples")
PY
n=0
for f in "$WORK"/doc_*.toml; do
  n=$((n + 1))
  run_seam run "$f" --report "json:$WORK/report.json"
  expect_rc 0
  checks=$((checks + 1))
  if ! python3 - "$WORK/report.json" "$f" <<'PY'
import json, re, sys
report = json.load(open(sys.argv[1]))
steps = [s for suite in report["suites"] for t in suite.get("tests", []) for s in t.get("steps", [])]
written = len(re.findall(r"^\[\[test\.steps\]\]", open(sys.argv[2]).read(), re.M))
bad = [s for s in steps if s.get("status") != "passed"]
sys.exit(1 if bad or len(steps) < written else 0)
PY
  then
    fail "$f: not every step ran and passed"
    show
  fi
done
checks=$((checks + 1))
[ "$n" -ge 4 ] || fail "only $n examples found in $DOC"
finish
