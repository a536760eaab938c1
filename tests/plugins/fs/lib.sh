# shellcheck shell=bash
# lib.sh - shared by the fs plugin's script tests. Usage from a test:
#   source lib.sh SEAM PLUGIN_DIR
# shellcheck source=../script_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../script_lib.sh" "$@"
