# shellcheck shell=bash
# lib.sh - shared by the sql plugin's script tests. Usage from a test:
#   source lib.sh SEAM WORKDIR PG_URL_FILE
# Sets SEAM, WORK (made if missing; kept after the test, with each run's
# output in WORK/NAME.log), PG_URL (the sql_pg fixture's server) and HERE,
# and gives run plus the shared checks of tests/lib/checks.sh.
SEAM=${1:?seam binary}
WORK=${2:?work directory}
PG_URL=$(cat "${3:?url file of the sql_pg fixture}")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$WORK"

# shellcheck source=../../lib/checks.sh
source "$HERE/../../lib/checks.sh"

# run NAME ARGS...: runs seam; exit code in $rc, stdout+stderr in $out and in
# $WORK/NAME.log.
run() {
  local name=$1
  shift
  last_cmd="seam $*"
  last_log=$WORK/$name.log
  rc=0
  out=$("$SEAM" "$@" 2>&1 </dev/null) || rc=$?
  printf '%s\n' "$out" >"$last_log"
}

show() {
  echo "  command: $last_cmd (exit code $rc)" >&2
  sed 's/^/    | /' "$last_log" >&2
}
