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
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

npm_config_registry="http://127.0.0.1:$dead/" npm_config_fetch_retries=0 \
  npm_config_cache="$WORK/cache" bash "$src/npm_setup.sh" "$src" "$WORK/npm" >"$WORK/setup.log" 2>&1
rc=$?
[ "$rc" -eq 0 ] || fail "npm_setup.sh exited $rc: $(cat "$WORK/setup.log")"
grep -q ECONNREFUSED "$WORK/npm/npm-unreachable" 2>/dev/null ||
  fail "no npm-unreachable marker naming the reason"

SEAM_STRIPE_NPM_DIR=$WORK/npm "$unit_tests" --gtest_filter='Form.EncodesAsTheOfficialSdk' \
  >"$WORK/unit.log" 2>&1
rc=$?
[ "$rc" -eq 0 ] || fail "the unit test failed instead of skipping: $(cat "$WORK/unit.log")"
grep -q "SKIPPED" "$WORK/unit.log" || fail "the unit test did not skip: $(cat "$WORK/unit.log")"
grep -q "npm packages unavailable" "$WORK/unit.log" ||
  fail "the skip does not say why: $(cat "$WORK/unit.log")"
[ "$failures" -eq 0 ] && echo "npm unreachable: setup succeeds, tests skip with the reason"
[ "$failures" -eq 0 ]
