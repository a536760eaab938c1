#!/usr/bin/env bash
# bad_input.sh SEAM: a service given a database URL it does not know exits at
# once with code 1, saying which URLs it takes; seam's resource fails with
# that message and the suite's tests are not run.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"

rc=0
out=$(cd "$ROOT" && /usr/bin/python3 -B examples/shop/profiles.py --port=0 --db=mysql://db/shop 2>&1) || rc=$?
last_cmd="examples/shop/profiles.py --db=mysql://db/shop"
echo "$out" >"$WORK/out"
expect_rc 1
expect_out "--db='mysql://db/shop' is no database URL I know: give sqlite3://PATH or postgresql://"

cat >"$WORK/bad_db.toml" <<'TOML'
[suite]
name = "a service on a bad database URL"
[resources.profiles]
plugin = "process"
command = ["/usr/bin/python3", "-B", "examples/shop/profiles.py", "--port=${port.http}", "--db=mysql://db/shop"]
ports = ["http"]
ready = { http = "http://127.0.0.1:${port.http}/health" }
[[test]]
name = "never runs"
[[test.steps]]
use = "process.status"
TOML
run_line "build/bin/seam run $WORK/bad_db.toml"
expect_rc 1
expect_out "resource 'profiles'"
expect_out "the process exited with code 1 before it was ready"
expect_out "is no database URL I know"
expect_out "0 passed, 0 failed, 1 skipped"
finish
