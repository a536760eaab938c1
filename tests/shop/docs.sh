#!/usr/bin/env bash
# docs.sh SEAM: docs/shop.md's commands run as written (`build/bin/seam` being
# the binary under test); the README's main command, which it repeats, is run
# by readme.sh. Its PostgreSQL block runs the whole shop on a server started by
# tools/pg: every test passes there too.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"

mapfile -t shop_lines < <(doc_commands "$ROOT/README.md" | grep 'examples/shop/suites/')
main=${shop_lines[0]}
mapfile -t commands < <(doc_commands "$ROOT/docs/shop.md")
checks=$((checks + 1))
[ "${#commands[@]}" -ge 2 ] || fail "docs/shop.md shows no commands"
if printf '%s\n' "${commands[@]}" | grep -q 'tools/pg' && [ ! -x /usr/lib/postgresql/15/bin/pg_ctl ] &&
  ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "SKIP: docs/shop.md starts PostgreSQL, which is not installed (apt-get install postgresql)"
  exit 77
fi
n=0
for c in "${commands[@]}"; do
  [ "$c" != "$main" ] || continue
  n=$((n + 1))
  case "$c" in
    *build/bin/seam*) run_line "$c" --report "json:$WORK/docs$n.json" ;;
    *) run_line "$c" ;;
  esac
  expect_rc 0
  [[ "$c" != *build/bin/seam* ]] || check_report "$WORK/docs$n.json"
done
[ ! -d "$WORK/pg" ] || "$ROOT/tools/pg" destroy "$WORK/pg" >/dev/null 2>&1 || true
nothing_left
finish
