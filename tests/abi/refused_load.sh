#!/usr/bin/env bash
# refused_load.sh LIBRARY MODE - seam must refuse a bad plugin library with
# exit code 3 and a message naming the file and the reason.
#   LIBRARY  noentry | abiv2 | abimm | abifuture | samestep | dupe
#   MODE     plugin  (seam run --plugin FILE)
#            path    (seam run --plugin-path DIR, the suite uses LIBRARY.x)
# Needs SEAM, SEAM_BAD_PLUGIN_DIR and SEAM_TEST_PLUGIN_DIR (where the probe is).
set -u
. "$(dirname "$0")/lib.sh"

library=$1 mode=$2
file=$SEAM_BAD_PLUGIN_DIR/seam-$library.so
[ -f "$file" ] || { echo "missing $file: build the test plugins first" >&2; exit 1; }

case $library in
noentry) want=("no entry symbol seam_plugin_entry_v1") ;;
abiv2 | abimm) want=("ABI 2" "ABI 1") ;;
abifuture)
  # The host's own version, read from the header it was built with.
  header=$(dirname "$0")/../../sdk/include/seam/plugin.h
  minor=$(sed -n 's/^#define SEAM_ABI_MINOR \([0-9]*\)$/\1/p' "$header")
  want=("ABI 1.99" "ABI 1.$minor") ;;
samestep) want=("step name reused" "twice") ;;
dupe) want=("duplicate plugin name" "$SEAM_TEST_PLUGIN_DIR/seam-probe.so") ;;
*) echo "unknown library $library" >&2; exit 1 ;;
esac

# The suite uses the library's own step "x" (the probe's no-op for dupe), so a
# loader that wrongly accepted the library would run it and exit 0.
step=$library.x
[ "$library" = dupe ] && step=probe.noop
cat >"$WORK/suite.toml" <<TOML
[suite]
name = "refused $library"

[[test]]
name = "uses $step"

[[test.steps]]
use = "$step"
TOML

case $mode in
plugin)
  if [ "$library" = dupe ]; then
    run_seam run --plugin "$file" --plugin "$SEAM_TEST_PLUGIN_DIR/seam-probe.so" "$WORK/suite.toml"
  else
    run_seam run --plugin "$file" "$WORK/suite.toml"
  fi
  ;;
path) run_seam run --plugin-path "$SEAM_BAD_PLUGIN_DIR" "$WORK/suite.toml" ;;
*) echo "unknown mode $mode" >&2; exit 1 ;;
esac

expect_rc 3
expect_out "$file" "${want[@]}"
finish
