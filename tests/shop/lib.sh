# shellcheck shell=bash
# lib.sh - shared by the shop's tests. Usage: source lib.sh SEAM
# Each test works in a directory of its own: the shop's database
# (SHOP_DB_URL), the private RabbitMQ's data (TMPDIR) and the reports go there,
# and the commands of README.md and docs/shop.md run as written, from the
# repository's root, with `build/bin/seam` being the binary under test, run
# under no_orphans.py (any process it leaves behind fails the command).
SEAM=${1:?seam binary}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/seam-shop-test.XXXXXX")
chmod 755 "$WORK" # tools/pg hands a directory in it to the postgres user
trap 'rm -rf "$WORK"' EXIT
export SHOP_DB_URL="sqlite3://$WORK/shop.db"
export TMPDIR=$WORK
unset NO_COLOR
export TERM=dumb
PYTHON3=${PYTHON3:-python3}
NO_ORPHANS="$PYTHON3 $ROOT/tests/plugins/process/fixtures/no_orphans.py --"

# The shop needs Debian's python3 with pika and RabbitMQ (tools/setup installs them).
if ! /usr/bin/python3 -c 'import pika' 2>/dev/null; then
  echo "SKIP: /usr/bin/python3 cannot import pika (apt-get install python3-pika)"
  exit 77
fi
if [[ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || ! command -v epmd >/dev/null; then
  echo "SKIP: no RabbitMQ server (apt-get install rabbitmq-server)"
  exit 77
fi

. "$ROOT/tests/lib/checks.sh"

# doc_commands FILE: the lines of FILE's ```sh blocks, one per line.
doc_commands() {
  "$PYTHON3" - "$1" <<'PY'
import re, sys
for block in re.findall(r"^```sh\n(.*?)^```", open(sys.argv[1]).read(), re.S | re.M):
    for line in block.splitlines():
        if line.strip():
            print(line)
PY
}

# run_line LINE [ARGS...]: runs a documented command line from the repository's
# root, `build/bin/seam` replaced by the binary under test (under no_orphans.py,
# with ARGS appended to it), report paths under build/shop/ and the scratch
# directory /tmp/shop-pg moved into $WORK. `tools/setup && ` is left out: it
# installs packages and builds, which the test's build already did.
# Exit code in $rc, output in $out, wall time in $elapsed_ms.
run_line() {
  local line=$1
  shift
  line=${line#tools/setup && }
  line=${line//build\/shop\//$WORK/reports/}
  line=${line//\/tmp\/shop-pg/$WORK/pg}
  line=${line//build\/bin\/seam/$NO_ORPHANS $SEAM}
  [ "$#" -eq 0 ] || line="$line $*"
  last_cmd=$line
  local t0
  t0=$(date +%s%N)
  rc=0
  (cd "$ROOT" && bash -c "$line") >"$WORK/out" 2>&1 </dev/null || rc=$?
  elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
  out=$(cat "$WORK/out")
}

show() {
  echo "  command: $last_cmd (exit code $rc)" >&2
  sed 's/^/    | /' "$WORK/out" >&2
}

# check_report REPORT [ARGS]: check_report.py on a JSON report (counts, every
# example and failure path, nothing skipped); prints the bench line.
check_report() {
  checks=$((checks + 1))
  "$PYTHON3" "$HERE/check_report.py" "$ROOT/examples/shop/suites" "$@" || fail "check_report.py $*"
}

# nothing_left: no rabbit data directory, no process of the shop.
nothing_left() {
  checks=$((checks + 1))
  if compgen -G "$WORK/seam-shop-rabbitmq-*" >/dev/null; then
    fail "the private RabbitMQ's data directory was left behind: $(echo "$WORK"/seam-shop-rabbitmq-*)"
  fi
}

