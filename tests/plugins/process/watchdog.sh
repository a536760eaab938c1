#!/usr/bin/env bash
# watchdog.sh SEAM PLUGIN_DIR PROBE_DIR: a plugin that ignores its deadline
# (probe.block) makes seam's watchdog end the run with _Exit, so no resource
# closes: the reaper still ends the services seam started.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
PROBE_DIR=${3:?directory of seam-probe.so}

cat >"$WORK/stuck.toml" <<'TOML'
[resources.svc]
plugin = "process"
command = ["python3", "${env.PROCESS_FIXTURES}/service.py", "--port", "$${port.http}",
           "--marker", "${env.PROCESS_MARKER}", "--child"]
ports = ["http"]
ready = { log = "listening on" }
grace = "1s"

[[test]]
name = "blocks"

[[test.steps]]
name = "ignores its deadline"
use = "probe.block"
with = { ms = 60000 }
timeout = "200ms"
TOML

run_seam run "$WORK/stuck.toml" --grace 500ms --plugin-path "$PROBE_DIR"
expect_rc 1
expect_out "did not return 500ms after its deadline"
no_leftovers
finish
