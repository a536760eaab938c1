#!/usr/bin/env bash
# refused_kinds.sh LIBRARY - ABI 1.2 descriptors seam must refuse with exit
# code 3 and a message naming the file and the reason (the libraries are built
# from tests/plugins/kinds/refused_kinds.c into SEAM_BAD_PLUGIN_DIR).
set -u
. "$(dirname "$0")/lib.sh"

library=$1
file=$SEAM_BAD_PLUGIN_DIR/seam-$library.so
[ -f "$file" ] || { echo "missing $file: build the test plugins first" >&2; exit 1; }

case $library in
kindtwice) want=("plugin 'kindtwice' declares resource kind 'mock' twice") ;;
kindname) want=("resource kind 'Mock' is not valid (lower-case letters") ;;
twodefaults) want=("several default resource kinds") ;;
bothforms) want=("sets both resource_type and resource_types") ;;
stepkind) want=("step 'x' works on resource kind 'mok', which the plugin does not declare (it has: mock, webhook)") ;;
nodescription) want=("$file: the plugin failed to describe itself: cannot build the step table: out of memory") ;;
minor3) want=("needs ABI 1.3, but this seam speaks ABI 1.2 (upgrade seam)") ;;
*) echo "unknown library $library" >&2; exit 1 ;;
esac

cat >"$WORK/suite.toml" <<TOML
[[test]]
name = "uses $library.x"

[[test.steps]]
use = "$library.x"
TOML
run_seam run --plugin "$file" "$WORK/suite.toml"
expect_rc 3
expect_out "$file" "${want[@]}"
expect_not_out "plugin name '' is not valid"
finish
