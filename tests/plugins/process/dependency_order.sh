#!/usr/bin/env bash
# dependency_order.sh SEAM PLUGIN_DIR: a service that needs another is started
# after it and stopped before it (order.toml says how each side checks).
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"

run_seam run "$HERE/order.toml" --report "json:$WORK/report.json"
expect_rc 0
no_leftovers
checks=$((checks + 1))
opened=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
names = [s["name"] for suite in r["suites"] for s in suite.get("setup", []) + suite.get("steps", [])
         if s.get("name", "").startswith("open resource")]
print(",".join(names))' "$WORK/report.json" 2>&1 || true)
if [[ "$opened" != "open resource backend,open resource frontend" ]]; then
  fail "resources opened in the order '$opened'"
fi
checks=$((checks + 1))
report=$(cat "$WORK/frontend-shutdown.txt" 2>/dev/null || echo "no report")
if [[ "$report" != "upstream up at shutdown" ]]; then
  fail "the frontend's shutdown saw: $report (the backend must stop after it)"
fi
finish
