#!/usr/bin/env bash
# postgres.sh SEAM PLUGIN_DIR: PostgreSQL 15 started by seam (postgres.toml),
# used through the sql plugin and psql, and gone once seam ends.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"

PG_BINDIR=${SEAM_PG_BINDIR:-}
for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
  [[ -z "$PG_BINDIR" && -x "$d/postgres" ]] && PG_BINDIR=$d
done
if [[ -z "$PG_BINDIR" ]]; then
  echo "SKIP: no PostgreSQL server (apt-get install postgresql)"
  exit 77
fi
export PG_BINDIR
mkdir -p "$WORK/pg"
if [[ $(id -u) -eq 0 ]]; then
  chmod 755 "$WORK"
  chown "${SEAM_PG_USER:-postgres}" "$WORK/pg"
fi

run_seam run "$HERE/postgres.toml" --report "json:$WORK/report.json"
expect_rc 0
no_leftovers
checks=$((checks + 1))
pid=$(cat "$WORK/pg.pid" 2>/dev/null || echo 0)
if [[ "$pid" -le 0 ]]; then
  fail "the suite did not record the server's pid"
elif ! wait_until 10 bash -c "! ps -o stat= -g $pid 2>/dev/null | grep -qv Z"; then
  fail "PostgreSQL processes of group $pid outlived seam:"
  ps -o pid,stat,args -g "$pid" >&2 || true
fi
finish
