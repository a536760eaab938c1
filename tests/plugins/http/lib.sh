# shellcheck shell=bash
# lib.sh - shared by the http plugin's script tests. Usage from a test:
#   source lib.sh SEAM PLUGIN_DIR NGINX_ENV
# Exports NGINX_* (tools/nginx facts) for suites' ${env.NGINX_...}; the rest
# is the plugins' script_lib.sh.
# shellcheck source=../script_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../script_lib.sh" "$@"
NGINX_ENV=${3:?nginx.env of tools/nginx}
set -a
# shellcheck disable=SC1090
source "$NGINX_ENV"
set +a
