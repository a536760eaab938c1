#!/usr/bin/env bash
# kinds.sh - resource kinds (ABI 1.2) through the real seam: the kinds test
# plugin's default, "mock" and "webhook" kinds side by side, steps finding the
# only resource of their kind, per-kind config schemas and hooks, `plugins
# info`, and the checker's errors for an unknown kind, a step on a resource of
# the wrong kind and an ambiguous or missing resource of a kind.
set -u
. "$(dirname "$0")/lib.sh"

suite=$WORK/kinds.toml
cat >"$suite" <<'TOML'
[suite]
name = "kinds"

[resources.api]
plugin = "kinds"
url = "http://127.0.0.1:9"

[resources.fake]
plugin = "kinds"
kind = "mock"
port = 8080

[resources.hooks]
plugin = "kinds"
kind = "webhook"
path = "/hook"

[resources.one]
plugin = "solo"
size = 3

[[test]]
name = "each step finds the only resource of its kind"

[[test.steps]]
use = "kinds.call"
expect = { kind = "default", begun = 0 }

[[test.steps]]
use = "kinds.mocked"
expect = { kind = "mock", begun = 1, ended = 0 }

[[test.steps]]
use = "kinds.hook"
expect = { kind = "webhook" }

[[test.steps]]
use = "kinds.mocked"
on = "fake"
expect = { kind = "mock" }

[[test.steps]]
use = "solo.only"
expect = { kind = "only" }

[[test]]
name = "only the mock kind has per-test hooks"

[[test.steps]]
use = "kinds.mocked"
expect = { begun = 2, ended = 1 }

[[test.steps]]
use = "kinds.call"
expect = { begun = 0, ended = 0 }

[[test]]
name = "a resource publishes its kind; kind is not part of its config"

[[test.steps]]
use = "probe.echo"
with = { kind = "${resources.fake.kind}", config = "${resources.fake.config}", hooks = "${resources.hooks.config}" }
expect = { "input.kind" = "mock", "input.config" = { port = 8080 }, "input.hooks" = { path = "/hook" } }
TOML
run_seam run "$suite"
expect_rc 0
expect_out "3 passed, 0 failed"

# plugins info lists each kind with its summary and config fields.
run_seam plugins info kinds
expect_rc 0
expect_out 'resource: [resources.NAME] plugin = "kinds"' \
  'A client of the real service (the default kind)' 'url' 'where the service listens' \
  'resource kind mock: [resources.NAME] plugin = "kinds" kind = "mock"' \
  'A mock of the service, reset before each test' 'port' \
  'resource kind webhook: [resources.NAME] plugin = "kinds" kind = "webhook"' 'URL path to accept' \
  'kinds.mocked (on a resource of kind mock)' 'kinds.call (on a resource of kind (default))'

# SEAM_UNAVAILABLE (ABI 1.2, no "unavailable:" in the message): a step that
# returns it fails saying its dependency is unavailable; an open that returns
# it fails the suite, or skips it under --skip-unavailable.
cat >"$WORK/down.toml" <<'TOML'
[[test]]
name = "the step's service is down"

[[test.steps]]
use = "kinds.down"
TOML
run_seam run --skip-unavailable "$WORK/down.toml"
expect_rc 1
expect_out "dependency unavailable: kinds: the service is down"

cat >"$WORK/open_down.toml" <<'TOML'
[resources.fake]
plugin = "kinds"
kind = "mock"
down = true

[[test]]
name = "never runs"

[[test.steps]]
use = "kinds.mocked"
TOML
run_seam run "$WORK/open_down.toml"
expect_rc 1
expect_out "unavailable: kinds: the mocked service is down"
run_seam run --skip-unavailable "$WORK/open_down.toml"
expect_rc 0
expect_out "unavailable: kinds: the mocked service is down" "0 passed, 0 failed, 1 skipped"

# check_bad NAME EXPECTED... : the suite on stdin is refused by `seam check`
# (exit 2) with every EXPECTED text in the output.
check_bad() {
  local name=$1
  shift
  cat >"$WORK/$name.toml"
  run_seam check "$WORK/$name.toml"
  expect_rc 2
  expect_out "$@"
}

check_bad unknown_kind "$WORK/unknown_kind.toml:4:8: error: plugin 'kinds' has no resource kind 'mok' (resource 'fake')" \
  "did you mean 'mock'?" "(default), mock, webhook" <<'TOML'
[resources.fake]
plugin = "kinds"
port = 1
kind = "mok"
[[test]]
name = "t"
[[test.steps]]
use = "kinds.mocked"
TOML

check_bad wrong_kind "$WORK/wrong_kind.toml:7:6: error: step kinds.mocked works on kinds resources of kind 'mock', but resource 'api' is of kind '(default)'" \
  'declare one: [resources.NAME] with plugin = "kinds" and kind = "mock"' <<'TOML'
[resources.api]
plugin = "kinds"
url = "http://x"
[[test]]
name = "t"
[[test.steps]]
on = "api"
use = "kinds.mocked"
TOML

check_bad ambiguous "$WORK/ambiguous.toml:13:7: error: step kinds.mocked needs a resource: the suite has several kinds resources of kind 'mock' (a, b)" \
  'say which with on = "a"' <<'TOML'
[resources.a]
plugin = "kinds"
kind = "mock"
[resources.b]
plugin = "kinds"
kind = "mock"
[resources.api]
plugin = "kinds"
url = "http://x"
[[test]]
name = "t"
[[test.steps]]
use = "kinds.mocked"
TOML

check_bad none_of_kind "$WORK/none_of_kind.toml:7:7: error: step kinds.hook needs a kinds resource of kind 'webhook', and the suite declares none" \
  'kind = "webhook"' <<'TOML'
[resources.fake]
plugin = "kinds"
kind = "mock"
[[test]]
name = "t"
[[test.steps]]
use = "kinds.hook"
TOML

# The kind's own schema checks the table: a mock has no url.
check_bad kind_schema "$WORK/kind_schema.toml:4:7: error: resource 'fake': unknown input 'url'" \
  "known inputs: down, port" <<'TOML'
[resources.fake]
plugin = "kinds"
kind = "mock"
url = "http://x"
TOML

# Two named kinds and no default: the table must say which.
check_bad needs_kind "$WORK/needs_kind.toml:1:12: error: resource 'r' needs a kind: plugin 'pair' opens several (left, right) and none is the default" \
  'add kind = "left" to [resources.r]' <<'TOML'
[resources.r]
plugin = "pair"
TOML

check_bad kind_type "$WORK/kind_type.toml:3:8: error: 'kind' in a resource must be a string" <<'TOML'
[resources.fake]
plugin = "kinds"
kind = 3
TOML
finish
