#!/usr/bin/env bash
# secrets.sh SEAM PLUGIN_DIR NGINX_ENV: a password, its base64 form and a
# bearer token never appear in seam's output or reports, even when the server
# echoes them back (nginx's /echo returns the Authorization header).
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"

cat > "$WORK/secrets.toml" <<'TOML'
[suite]
name = "secrets"
[[test]]
name = "echoed credentials are masked"
[[test.steps]]
use = "http.request"
with = { url = "${env.NGINX_URL}/echo", auth = { basic = { user = "seam", password = "pw-${env.SECRET_SUFFIX}" } } }
expect = { "json.authorization" = { contains = "Basic " } }
[[test.steps]]
use = "http.request"
with = { url = "${env.NGINX_URL}/echo", auth = { bearer = "tok-${env.SECRET_SUFFIX}" } }
expect = { "json.authorization" = "Bearer tok-${env.SECRET_SUFFIX}", status = 500 }
TOML
export SECRET_SUFFIX="zq$$x"
password="pw-$SECRET_SUFFIX"
base64=$(printf 'seam:%s' "$password" | base64)
run_seam run "$WORK/secrets.toml" --verbose --report "json:$WORK/report.json" \
  --report "junit:$WORK/junit.xml"
# The second step fails on purpose (status 500), so that its output is shown.
expect_rc 1
for text in "$password" "$base64" "tok-$SECRET_SUFFIX"; do
  expect_not_out "$text"
  checks=$((checks + 1))
  if grep -qF "$text" "$WORK/report.json" "$WORK/junit.xml"; then
    fail "a report shows the secret $text"
  fi
done
# The echoed header is in the report (masked), so the check above saw it.
checks=$((checks + 1))
grep -q 'Basic ' "$WORK/report.json" || fail "the report lacks the echoed Authorization header"
finish
