#!/usr/bin/env bash
# keepalive.sh SEAM PLUGIN_DIR NGINX_ENV: 400 requests in a suite reach nginx
# over one connection (counted by nginx: $connection in its access log).
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"

run_id="ka$$"
{
  echo '[suite]'
  echo 'name = "keep-alive"'
  for t in $(seq 1 10); do
    echo '[[test]]'
    echo "name = \"batch $t\""
    for i in $(seq 1 20); do
      echo '[[test.steps]]'
      echo 'use = "http.request"'
      echo "with = { method = \"POST\", url = \"\${env.NGINX_URL}/users?run=$run_id\", json = { i = $i } }"
      echo 'expect = { status = 201 }'
      echo 'save = { id = "json.user_id" }'
      echo '[[test.steps]]'
      echo 'use = "http.request"'
      echo "with = { url = \"\${env.NGINX_URL}/users/\${id}\", query = { run = \"$run_id\" } }"
      echo 'expect = { status = 200, "json.user_id" = "${id}", "timing.new_connections" = { le = 1 } }'
    done
  done
} > "$WORK/keepalive.toml"

run_seam run "$WORK/keepalive.toml"
expect_rc 0
lines=$(grep -c "run=$run_id" "$NGINX_ACCESS_LOG" || true)
connections=$(grep "run=$run_id" "$NGINX_ACCESS_LOG" | cut -d' ' -f1 | sort -u | wc -l)
checks=$((checks + 2))
[ "$lines" -eq 400 ] || fail "nginx logged $lines of the 400 requests"
[ "$connections" -eq 1 ] || fail "the 400 requests used $connections connections, not 1"
echo "400 requests, $connections connection(s)"
finish
