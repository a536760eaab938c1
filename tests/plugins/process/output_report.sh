#!/usr/bin/env bash
# output_report.sh SEAM PLUGIN_DIR: a process resource's output (stdout and
# stderr as its ring kept them) and its end are in the JSON report's teardown,
# as "close resource NAME", with the secrets it printed masked.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"

export PROCESS_SECRET_NAME="svc-S3cr3tN4me"
run_seam run "$HERE/output_report.toml" --report "json:$WORK/report.json"
expect_rc 0
no_leftovers
checks=$((checks + 1))
verdict=$(python3 - "$WORK/report.json" <<'PY' 2>&1 || true
import json, sys
r = json.load(open(sys.argv[1]))
closes = [s for suite in r["suites"] for s in suite["teardown"]
          if s.get("name") == "close resource api"]
if len(closes) != 1:
    print("no single 'close resource api' entry in the teardown:", [s.get("name") for suite in r["suites"] for s in suite["teardown"]])
    sys.exit(0)
out = closes[0].get("output", {})
text = out.get("output", "")
if "SIGTERM: shutting down" not in text:
    print("the service's last words are missing from its output:", repr(text[-300:]))
elif out.get("status", {}).get("running") is not False:
    print("the status does not say the service ended:", out.get("status"))
else:
    print("ok")
PY
)
[[ "$verdict" == "ok" ]] || fail "$verdict"
checks=$((checks + 1))
if grep -q "S3cr3tN4me" "$WORK/report.json" "$WORK/out" "$WORK/err" 2>/dev/null; then
  fail "the secret service name appears in the report or the console"
fi
finish
