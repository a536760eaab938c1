#!/usr/bin/env bash
# old_abi.sh PLUGIN - a plugin built from an old seam/plugin.h (old10: ABI 1.0,
# old11: ABI 1.1; tests/plugins/abi_old) runs in this host: its resource, a
# step on it, its errors, and its "unavailable:" messages read as an
# unreachable service (a step fails saying so; an open skips the suite under
# --skip-unavailable).
set -u
. "$(dirname "$0")/lib.sh"
p=$1
minor=${p#old1}

cat >"$WORK/ok.toml" <<TOML
[suite]
name = "old ABI"

[resources.svc]
plugin = "$p"

[[test]]
name = "a step on the resource, and an error"

[[test.steps]]
use = "$p.greet"
expect = { greeting = "hello svc", has_test_id = $([ "$minor" = 1 ] && echo true || echo false) }

[[test.steps]]
use = "$p.broken"
expect.error = "old plugin broke"

[[test.steps]]
use = "probe.echo"
with = { minor = "\${resources.svc.minor}" }
expect = { "input.minor" = $minor }
TOML
run_seam run "$WORK/ok.toml"
expect_rc 0
expect_out "1 passed, 0 failed"

run_seam plugins info "$p"
expect_rc 0
expect_out "ABI:  1.$minor" "A resource of an old plugin"

# A step's "unavailable:" error fails the test, saying the dependency is
# unavailable.
cat >"$WORK/step_down.toml" <<TOML
[[test]]
name = "the step's service is down"

[[test.steps]]
use = "$p.down"
TOML
run_seam run --skip-unavailable "$WORK/step_down.toml"
expect_rc 1
expect_out "dependency unavailable: the old service is down"

# An open's "unavailable:" error fails the suite, or skips it with
# --skip-unavailable.
cat >"$WORK/open_down.toml" <<TOML
[resources.svc]
plugin = "$p"
down = true

[[test]]
name = "never runs"

[[test.steps]]
use = "$p.greet"
TOML
run_seam run "$WORK/open_down.toml"
expect_rc 1
expect_out "unavailable: the old service is down"
run_seam run --skip-unavailable "$WORK/open_down.toml"
expect_rc 0
expect_out "unavailable: the old service is down" "0 passed, 0 failed, 1 skipped"
finish
