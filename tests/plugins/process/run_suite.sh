#!/usr/bin/env bash
# run_suite.sh SEAM PLUGIN_DIR SUITE: runs one suite with the real seam
# binary; every step must pass (the JSON report shows that steps really ran),
# and no process the suite started may outlive seam.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
SUITE=${3:?suite file}

run_seam run "$SUITE" --report "json:$WORK/report.json"
expect_rc 0
no_leftovers
checks=$((checks + 1))
if ! python3 - "$WORK/report.json" "$SUITE" <<'PY'
import json, re, sys
report = json.load(open(sys.argv[1]))
steps = [s for suite in report.get("suites", []) for t in suite.get("tests", [])
         for s in t.get("steps", [])]
written = len(re.findall(r"^\[\[test\.steps\]\]", open(sys.argv[2]).read(), re.M))
bad = [s for s in steps if s.get("status") != "passed"]
if bad or len(steps) < written:
    print(f"{len(steps)} steps reported, {written} written, not passed: {bad}", file=sys.stderr)
    sys.exit(1)
PY
then
  fail "the report does not show every step of $SUITE passing"
fi
finish
