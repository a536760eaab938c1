#!/usr/bin/env bash
# twice.sh SEAM: the shop suites twice in a row with --jobs 4 against one
# database: the README's main command, then the suites in a shuffled order
# (seam runs the files it is given in that order; the last suite, which
# checks that nothing is left, stays last). Both pass, and afterwards the
# database holds no row at all. Then the last suite is shown to catch a row a
# test forgot to delete.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"

mapfile -t shop_lines < <(doc_commands "$ROOT/README.md" | grep 'examples/shop/suites/')
main=${shop_lines[0]}
run_line "$main" --jobs 4 --report "json:$WORK/first.json"
expect_rc 0
check_report "$WORK/first.json"

mapfile -t shuffled < <(cd "$ROOT" && ls examples/shop/suites/*.toml | grep -v zz_ | shuf)
order=("${shuffled[@]}" examples/shop/suites/zz_nothing_left.toml)
echo "second run, in this order: ${order[*]}"
run_line "build/bin/seam run --jobs 4 ${order[*]}" --report "json:$WORK/second.json"
expect_rc 0
(cd "$ROOT" && check_report "$WORK/second.json" --order "${order[@]}")
nothing_left

checks=$((checks + 1))
leftovers=$("$PYTHON3" - "$WORK/shop.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
print(len(tables), " ".join(f"{t}={db.execute(f'SELECT count(*) FROM {t}').fetchone()[0]}" for t in tables
                            if db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]))
PY
)
[ "$leftovers" = "11 " ] || fail "after two runs the database should have 11 empty tables: $leftovers"

# A test that forgets its cleanup: the last suite must fail, naming the table.
cat >"$WORK/leak.toml" <<'TOML'
[suite]
name = "a test that leaves a user behind"
[resources.db]
plugin = "sql"
url = "${env.SHOP_DB_URL}"
[[test]]
name = "inserts and forgets"
[[test.steps]]
use = "sql.exec"
with = { sql = "INSERT INTO users (id, email, name, password_hash, created_at, updated_at) VALUES (:id, :email, 'x', 'x', :t, :t)", params = { id = "usr_${run.id}", email = "leak-${run.id}@example.com", t = "${now}" } }
TOML
run_line "build/bin/seam run $WORK/leak.toml examples/shop/suites/zz_nothing_left.toml"
expect_rc 1
expect_out "1 passed, 1 failed"
checks=$((checks + 1))
grep -Ezq '"n": 1,[[:space:]]+"name": "users"' <<<"$out" || { fail "the failure should show users with n = 1"; show; }
finish
