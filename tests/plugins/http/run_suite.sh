#!/usr/bin/env bash
# run_suite.sh SEAM PLUGIN_DIR NGINX_ENV SUITE: runs one suite of suites/ with
# the real seam binary; every test and step must pass, and the JSON report must
# show that steps really ran (no suite passes by running nothing).
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
SUITE=${4:?suite file}

# A small file to upload in multipart tests.
printf '\x89PNG\r\n\x1a\npixels' > "$WORK/upload.png"
export SEAM_TEST_UPLOAD=$WORK/upload.png

# As on a CI runner behind a proxy: proxy variables that point at a dead
# port must not reroute requests to loopback servers (nginx, mocks).
dead_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export http_proxy="http://127.0.0.1:$dead_port" https_proxy="http://127.0.0.1:$dead_port"
export HTTPS_PROXY="$https_proxy" all_proxy="$http_proxy" no_proxy="unrelated.example,.invalid"
export SEAM_TEST_DEAD_PROXY="$http_proxy"

run_passing "$SUITE"
finish
