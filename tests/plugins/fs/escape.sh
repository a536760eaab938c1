#!/usr/bin/env bash
# escape.sh SEAM PLUGIN_DIR: paths that leave the root, through "..", as
# absolute paths or through symlinks, are refused (escape.toml says with what
# message), and nothing outside the root is touched; paths that stay inside,
# symlinks included, work.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
root=$WORK/root
outside=$WORK/outside
mkdir -p "$root/sub" "$outside"
echo inside >"$root/sub/file.txt"
echo secret >"$outside/secret.txt"
ln -s sub "$root/link_in"
ln -s "$outside" "$root/link_out"
ln -s "$outside/secret.txt" "$root/file_out"
ln -s ../../outside "$root/sub/up_out"
export SEAM_FS_ROOT=$root SEAM_FS_OUTSIDE=$outside
run_seam run "$HERE/escape.toml" --report "json:$WORK/report.json"
expect_rc 0
expect_all_passed "$HERE/escape.toml" "$WORK/report.json"
checks=$((checks + 1))
if [ "$(ls "$outside")" != "secret.txt" ] || [ "$(cat "$outside/secret.txt")" != secret ]; then
  fail "the directory outside the root changed: $(ls -l "$outside")"
fi
checks=$((checks + 1))
[ -L "$root/link_out" ] || fail "the escaping symlink itself was removed"
finish
