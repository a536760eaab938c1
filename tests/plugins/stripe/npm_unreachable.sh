#!/usr/bin/env bash
# npm_unreachable.sh SOURCE_DIR UNIT_TESTS: with no npm registry to reach,
# npm_setup.sh succeeds and says why, and the tests that need the reference
# packages skip with that message instead of failing.
set -u
src=${1:?directory with package.json}
unit_tests=${2:?stripe_unit_tests binary}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/seam-stripe-npm.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
dead=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# shellcheck source=../../lib/checks.sh
source "$(dirname "$0")/../../lib/checks.sh"

# run COMMAND...: exit code in $rc, stdout+stderr in $out.
run() {
  last_cmd="$*"
  rc=0
  out=$("$@" 2>&1 </dev/null) || rc=$?
}

show() {
  echo "  command: $last_cmd (exit code $rc)" >&2
  sed 's/^/    | /' <<<"$out" >&2
}

run env npm_config_registry="http://127.0.0.1:$dead/" npm_config_fetch_retries=0 \
  npm_config_cache="$WORK/cache" bash "$src/npm_setup.sh" "$src" "$WORK/npm"
expect_rc 0 "npm_setup.sh"
# The marker names the reason.
run cat "$WORK/npm/npm-unreachable"
expect_out ECONNREFUSED

run env SEAM_STRIPE_NPM_DIR="$WORK/npm" "$unit_tests" --gtest_filter='Form.EncodesAsTheOfficialSdk'
expect_rc 0 "the unit test skips instead of failing"
# It skips, and says why.
expect_out "SKIPPED" "npm packages unavailable"
finish
