#!/usr/bin/env bash
# info.sh SEAM PLUGIN_DIR NGINX_ENV: `seam plugins info http` documents every
# input and output, the mock resource's route fields and `tls`'s fields.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"

run_seam plugins info http
expect_rc 0
for text in http.request http.mock_calls http.mock_reset docs/plugins/http.md \
  "routes = [{ name, method, path" match status headers "json or body" delay \
  "fail (reset, close, timeout)" fail_times responses "publishes url, port, host" \
  "verify = true" ca_file client_cert client_key key_password \
  "the test's own cookie jar" "never for loopback" set_cookies new_connections; do
  expect_out "$text"
done
# Every input and output has a description (an empty one ends the line with
# the type column).
checks=$((checks + 1))
if undocumented=$(grep -E '^    [a-z_]+ +(any )?[^ ]+ *(\(required\) *)?$' "$WORK/out"); then
  fail "fields without a description:"$'\n'"$undocumented"
fi
finish
