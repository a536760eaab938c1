#!/usr/bin/env bash
# check_bad.sh SEAM PLUGIN_DIR NGINX_ENV: `seam check` refuses each suite of
# bad/ (exit 2) with a message that contains its `# expect:` lines, and names
# the file and line.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
check_bad_corpus "$HERE/bad"
finish
