# shellcheck shell=bash
# lib.sh - shared by the http plugin's script tests. Usage from a test:
#   source lib.sh SEAM PLUGIN_DIR NGINX_ENV
# Exports NGINX_* (tools/nginx facts) for suites' ${env.NGINX_...}, runs seam
# with run_seam, and counts checks so that a test that checked nothing fails.
SEAM=${1:?seam binary}
PLUGIN_DIR=${2:?plugin directory}
NGINX_ENV=${3:?nginx.env of tools/nginx}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/seam-http-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
set -a
# shellcheck disable=SC1090
source "$NGINX_ENV"
set +a
unset NO_COLOR

failures=0
checks=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# run_seam ARGS...: exit code in $rc, stdout+stderr in $out (and $WORK/out).
run_seam() {
  last_cmd="seam $*"
  rc=0
  "$SEAM" "$@" --plugin-path "$PLUGIN_DIR" >"$WORK/out" 2>&1 </dev/null || rc=$?
  out=$(cat "$WORK/out")
}

show() {
  echo "  command: $last_cmd (exit code $rc)" >&2
  sed 's/^/    | /' "$WORK/out" >&2
}

expect_rc() {
  checks=$((checks + 1))
  if [ "$rc" -ne "$1" ]; then
    fail "expected exit code $1, got $rc"
    show
  fi
}

expect_out() {
  checks=$((checks + 1))
  if [[ "$out" != *"$1"* ]]; then
    fail "output lacks \"$1\""
    show
  fi
}

expect_not_out() {
  checks=$((checks + 1))
  if [[ "$out" == *"$1"* ]]; then
    fail "output shows \"$1\""
    show
  fi
}

finish() {
  if [ "$checks" -eq 0 ]; then
    echo "FAIL: no check ran" >&2
    exit 1
  fi
  echo "$((checks - failures)) passed, $failures failed"
  [ "$failures" -eq 0 ]
}
