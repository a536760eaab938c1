#!/usr/bin/env bash
# secrets.sh SEAM PLUGIN_DIR NGINX_ENV: passwords (also percent-encoded in a
# URL), their base64 Basic credentials and bearer tokens never appear in
# seam's console output, JSON or JUnit reports: when the server echoes them
# back (nginx's /echo returns the Authorization header), when they are part of
# the `url` output, and when the step never runs (its input fails the schema
# at run time: the schema's x-seam-secret marks them). Also in their encoded
# forms: URL-encoded in a query, echoed back with characters that encoders
# escape, cut for display in a failure message, and never by their length.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
unset SEAM_HTTP_TEST_UNSET_DURATION

cat > "$WORK/secrets.toml" <<'TOML'
[suite]
name = "secrets"
[vars]
# From the environment, so that only the run finds out it is no duration.
not_a_duration = { env = "SEAM_HTTP_TEST_UNSET_DURATION", default = "soon" }
token = { env = "SEAM_TEST_TOKEN", secret = true }
odd = { env = "SEAM_TEST_ODD", secret = true }
# Long enough that a failure message cuts the echoed value inside the token.
padding = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
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
[[test]]
name = "a password in the URL, percent-encoded"
[[test.steps]]
use = "http.request"
with = { url = "http://seam:pass%40word-${env.SECRET_SUFFIX}@127.0.0.1:${env.NGINX_PORT}/echo" }
expect = { "json.authorization" = { contains = "Basic " }, status = 500 }
[[test]]
name = "secret inputs of a step that never runs"
[[test.steps]]
use = "http.request"
with = { url = "${env.NGINX_URL}/echo", timeout = "${not_a_duration}", auth = { bearer = "never-${env.SECRET_SUFFIX}" } }
[[test]]
name = "secret inputs of another step that never runs"
[[test.steps]]
use = "http.request"
with = { url = "${env.NGINX_URL}/echo", timeout = "${not_a_duration}", auth = { basic = { user = "seam", password = "unused-basic-${env.SECRET_SUFFIX}" } }, tls = { key_password = "unused-key-${env.SECRET_SUFFIX}" } }
[[test]]
name = "a secret cut for display"
[[test.steps]]
use = "http.request"
with = { url = "${env.NGINX_URL}/echo", headers = { x-test = "${padding}${token}" } }
expect = { "json.x_test" = "something else" }
[[test]]
name = "a secret URL-encoded in a query"
[[test.steps]]
use = "http.request"
with = { url = "${env.NGINX_URL}/echo", query = { p = "${odd}" } }
expect = { "json.args" = "something else" }
[[test]]
name = "a secret with characters encoders escape, echoed back"
[[test.steps]]
use = "http.request"
with = { url = "${env.NGINX_URL}/echo", headers = { x-test = "${odd}" } }
expect = { "json.x_test" = { eq = "something else" } }
[[test]]
name = "the length of a secret"
[[test.steps]]
use = "http.request"
with = { url = "${env.NGINX_URL}/echo", headers = { x-test = "${token}" } }
expect = { "json.x_test" = { len = 3 } }
TOML
export SECRET_SUFFIX="zq$$x"
export SEAM_TEST_TOKEN="Tok3nS3cr3tValue$$"
export SEAM_TEST_ODD="p@ss w/rd<&>'$$"
password="pw-$SECRET_SUFFIX"
url_password="pass@word-$SECRET_SUFFIX"
run_seam run "$WORK/secrets.toml" --verbose --report "json:$WORK/report.json" \
  --report "junit:$WORK/junit.xml"
# Steps fail on purpose (status 500, bad timeout), so that inputs and outputs are shown.
expect_rc 1
for text in "$password" "$(printf 'seam:%s' "$password" | base64)" "tok-$SECRET_SUFFIX" \
  "pass%40word-$SECRET_SUFFIX" "$url_password" "$(printf 'seam:%s' "$url_password" | base64)" \
  "never-$SECRET_SUFFIX" "unused-basic-$SECRET_SUFFIX" "unused-key-$SECRET_SUFFIX" \
  "Tok3nS3c" "p%40ss%20w%2Frd" "p%40ss+w%2Frd" "w/rd<&>" 'w\/rd\u003c\u0026\u003e' \
  "length 3, got ${#SEAM_TEST_TOKEN}"; do
  expect_not_out "$text"
  checks=$((checks + 1))
  if grep -qF "$text" "$WORK/report.json" "$WORK/junit.xml"; then
    fail "a report shows the secret $text"
  fi
done
# What was masked is in the report, so the checks above saw it: the echoed
# header, the URL with its user, and the input of the step that never ran.
checks=$((checks + 4))
grep -q 'xxxxxxxxxx\*\*\*' "$WORK/report.json" || fail "the report lacks the cut value with the token masked"
checks=$((checks + 1))
grep -q 'got a value of another length' "$WORK/report.json" || fail "the len failure does not say the length differs"
grep -q 'Basic ' "$WORK/report.json" || fail "the report lacks the echoed Authorization header"
grep -q 'http://seam:' "$WORK/report.json" || fail "the report lacks the url with its user"
grep -q 'not a duration\|soon' "$WORK/report.json" || fail "the report lacks the bad timeout"
finish
