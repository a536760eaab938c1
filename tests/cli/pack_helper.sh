#!/usr/bin/env bash
# pack_helper.sh - the pack commands run in seam's pack helper
# (PREFIX/lib/seam/seam-pack, core/cli/pack_helper.hpp), so that seam itself
# starts without libarchive and OpenSSL: seam does not need them, the helper
# answers for seam with seam's exit codes, a seam without its helper says so
# (exit 70), and the helper run by hand refuses (exit 2).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

helper=$(dirname "$(dirname "$SEAM")")/lib/seam/seam-pack
checks=$((checks + 1))
[ -x "$helper" ] || fail "no pack helper at $helper"

# seam's own libraries: none of the pack helper's.
needed=$(readelf -d "$SEAM" | grep NEEDED || true)
for lib in libarchive libcrypto libxml2 libicuuc; do
  checks=$((checks + 1))
  case $needed in
  *"$lib"*) fail "seam itself needs $lib: $needed" ;;
  esac
done
checks=$((checks + 1))
case $(readelf -d "$helper" | grep NEEDED) in
*libarchive*) ;;
*) fail "the pack helper does not need libarchive: is it the pack code?" ;;
esac

# Through seam: the helper's output, exit codes and errors.
export XDG_CONFIG_HOME=$WORK/config XDG_DATA_HOME=$WORK/data
run_seam trust list
expect_rc 0
expect_line out "no trusted keys in $WORK/config/seam/trusted-keys"
run_seam pack --help
expect_rc 0
expect_in out "seam pack build DIR [-o OUT]"
run_seam trust add "$WORK/missing.pub"
expect_rc 2
run_seam pack build "$WORK/nothing-here" -o "$WORK"
expect_not_in err "internal error"
checks=$((checks + 1))
[ "$rc" -ne 0 ] && [ "$rc" -ne 70 ] || fail "pack build of a missing directory: exit $rc"
run_seam pack frobnicate
expect_rc 2
expect_in err "unknown command 'pack frobnicate'"
run_seam plugins verify
expect_rc 0

# A seam without its helper beside it (copied alone) names the file it
# looked for and exits 70; commands that need no packs still work.
mkdir -p "$WORK/alone/bin"
cp "$SEAM" "$WORK/alone/bin/seam"
SEAM=$WORK/alone/bin/seam run_seam pack build "$WORK"
expect_rc 70
expect_in err "error: cannot run seam's pack helper $WORK/alone/lib/seam/seam-pack: No such file or directory"
expect_in err "hint: reinstall seam"
SEAM=$WORK/alone/bin/seam run_seam --version
expect_rc 0

# The helper by hand.
SEAM=$helper run_seam pack --help
expect_rc 2
expect_in err "seam-pack is run by seam, not by hand"
SEAM=$helper run_seam
expect_rc 2

finish
