#!/usr/bin/env bash
# wait_writer.sh SEAM PLUGIN_DIR: fs.wait sees a file that another process
# writes while seam waits: first half a JSON document, then a complete one
# that is not yet the one awaited, then the one awaited; then a change to
# it. The script starts writing when the suite says it is about to wait, and
# the waits have a generous timeout: nothing depends on timing.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
root=$WORK/root
mkdir -p "$root"
export SEAM_FS_ROOT=$root

"$SEAM" run "$HERE/wait_writer.toml" --plugin-path "$PLUGIN_DIR" \
  --report "json:$WORK/report.json" >"$WORK/out" 2>&1 </dev/null &
seam_pid=$!
trap 'kill "$seam_pid" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# await FILE: until the suite has written FILE, or seam has ended.
await() {
  local deadline=$((SECONDS + 120))
  while [ ! -e "$root/$1" ]; do
    kill -0 "$seam_pid" 2>/dev/null || return 1
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.05
  done
}

checks=$((checks + 1))
if await ready; then
  mkdir -p "$root/out"
  printf '{"state": "runn' >"$root/out/export.json"
  printf '{"state": "running"}' >"$root/out/export.json"
  printf '{"state": "done", "rows": 2}' >"$root/out/export.json"
else
  fail "the suite never reached its first wait"
fi
checks=$((checks + 1))
if await ready2; then
  printf '{"state": "archived"}' >"$root/out/export.json"
else
  fail "the suite never reached its second wait"
fi
rc=0
wait "$seam_pid" || rc=$?
out=$(cat "$WORK/out")
last_cmd="seam run wait_writer.toml"
expect_rc 0
expect_all_passed "$HERE/wait_writer.toml" "$WORK/report.json"
finish
