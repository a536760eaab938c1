#!/usr/bin/env bash
# docs.sh SOURCE_DIR BUILD_DIR - every command in a ```sh block of
# docs/performance.md runs as written from the source directory, with the
# benches shortened through their environment (a few hundred steps, one
# round). Each must exit 0; bench/run-all's summary must hold a PASS, MISS or
# NOISE (bench/net/run) for every figure each bench gives (none failed or
# without figures), and its log directory must hold each bench's output.
set -euo pipefail
src=$1
build=$2
doc=$src/docs/performance.md
# shellcheck source=../lib/checks.sh
source "$src/tests/lib/checks.sh"
for p in probe http net fs queue sql; do
  [[ -f $build/lib/seam/plugins/seam-$p.so ]] ||
    { echo "FAIL: no $build/lib/seam/plugins/seam-$p.so: build every plugin first" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/seam-bench-docs.XXXXXX")
trap 'rm -rf "$work"' EXIT

# run_bench COMMAND LOG_DIR: runs COMMAND (its words) from the source
# directory; exit code in $rc, stdout+stderr in $out (and $work/out).
run_bench() {
  local -a words
  read -ra words <<<"$1"
  last_cmd=$1
  rc=0
  (cd "$src" && BENCH_LOG_DIR=$2 "${words[@]}") >"$work/out" 2>&1 || rc=$?
  out=$(cat "$work/out")
}

# show: the end of the last command's output (a full run is long).
show() {
  echo "  command: $last_cmd (exit code $rc), last 40 lines:" >&2
  tail -n 40 "$work/out" | sed 's/^/    | /' >&2
}

mapfile -t commands < <(python3 - "$doc" <<'PY'
import re, sys
for block in re.findall(r"^```sh\n(.*?)^```", open(sys.argv[1]).read(), re.S | re.M):
    for line in block.splitlines():
        if line.strip():
            print(line)
PY
)
checks=$((checks + 1))
((${#commands[@]} >= 1)) || fail "no \`\`\`sh commands in $doc"

# Short runs: the point is that every bench works end to end, not its figures.
export SEAM_BUILD_DIR=$build SEAM=$build/bin/seam
export CORE_STEPS=2000 CORE_BIG_STEPS=20000 QUEUE_COUNT=300 N=300 R=1 ROUNDS=1 BENCH_ROUNDS=1
export ITERATIONS=50 LEVELS="1 2" WRK_SECONDS=1 REQUESTS=200 CONNECTIONS=200

for c in "${commands[@]}"; do
  case $c in
  bench/run-all | "bench/run-all "*) ;;
  *)
    checks=$((checks + 1))
    fail "docs/performance.md shows a command this test does not know how to run: $c"
    continue
    ;;
  esac
  read -ra words <<<"$c"
  logs=$work/logs.$RANDOM
  run_bench "$c" "$logs"
  expect_rc 0 "$c"
  ((rc == 0)) || continue
  # The benches it ran: all, or the ones named.
  benches=("${words[@]:1}")
  ((${#benches[@]})) || benches=(core startup http parallel net queue sql)
  table=$(awk '/^figure +value +reference/ { on = 1; next } on && /^$/ { exit } on' <<<"$out")
  checks=$((checks + 1))
  [[ -n $table ]] || { fail "$c printed no summary table"; show; continue; }
  bad=$(awk '$NF != "PASS" && $NF != "MISS" && $NF != "NOISE"' <<<"$table")
  checks=$((checks + 1))
  [[ -z $bad ]] || fail "$c: rows without a verdict:"$'\n'"$bad"
  for b in "${benches[@]}"; do
    case $b in
    core) prefix="core " want=6 ;; # with load+check against TOML++ alone, flat RSS at CORE_BIG_STEPS
    startup) prefix="startup " want=3 ;;
    http) prefix="http W1 sequential" want=1 ;;
    parallel) prefix="http W1 --jobs" want=2 ;; # LEVELS="1 2"
    net) prefix="net proxy" want=2 ;;
    queue) prefix="queue " want=2 ;;
    sql) prefix="sql " want=4 ;;
    *)
      checks=$((checks + 1))
      fail "$c: unknown bench $b"
      continue
      ;;
    esac
    got=$(grep -c "^$prefix" <<<"$table" || true)
    checks=$((checks + 1))
    ((got == want)) || fail "$c: $got rows for $b in the summary, want $want"$'\n'"$table"
    checks=$((checks + 1))
    [[ -s $logs/$b.log ]] || fail "$c: no output of $b in $logs"
  done
  expect_out_re "^[0-9]* PASS, [0-9]* MISS, [0-9]* NOISE, 0 failed or without figures$" \
    "$c: the verdict line, counting no failure"
done

echo "docs/performance.md: ${#commands[@]} command(s) ran"
finish
