#!/usr/bin/env bash
# info.sh SEAM PLUGIN_DIR CLI_MD: `seam plugins info stripe` shows each
# field's default, bounds and allowed values, and what each kind of resource
# publishes; the excerpt docs/cli.md shows is what it prints.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
DOC=${3:?docs/cli.md}

run_seam plugins info stripe
expect_rc 0
# Defaults and bounds of a resource's config, and allowed values.
expect_line '    port                   integer      0: a free port [default 0, minimum 0, maximum 65535]'
expect_line '    faults[].status        integer      [minimum 400, maximum 599]'
expect_line '    faults[].method        string       [one of "GET", "POST", "DELETE"]'
expect_line '    allow_live             boolean      accept a live key (sk_live_...) [default false]'
# ... and of a step's inputs.
expect_line '    capture_method         string       [one of "automatic", "automatic_async", "manual"]'
expect_line '    amount                 integer      (required) [minimum 1]'
expect_line '    page_size              integer      [default 100, minimum 1, maximum 100]'
expect_line '    method                 string       [default "GET", one of "GET", "POST", "DELETE", "get", "post", "delete"]'
# What each kind publishes, below its config.
for kind in client mock webhooks; do
  checks=$((checks + 1))
  python3 - "$WORK/out" "$kind" <<'PY' || fail "kind $kind: no attributes under its config"
import sys
text = open(sys.argv[1]).read()
head = f'resource kind {sys.argv[2]}: '
part = text[text.index(head):].split("\n\n")[0]
assert "  publishes ${resources.NAME.ATTR}:\n" in part, part
PY
done
expect_line '    api_base               string       the API'"'"'s base URL, without a trailing /'
expect_line '    url                    string       where to deliver webhooks: http://127.0.0.1:PORT/webhooks'

# Every attribute declared is one the resource publishes, and back: a suite
# reads each declared one.
cat >"$WORK/attrs.toml" <<'TOML'
[resources.hooks]
plugin = "stripe"
kind = "webhooks"
secret = "whsec_info"
[resources.stripe]
plugin = "stripe"
kind = "mock"
[resources.api]
plugin = "stripe"
kind = "client"
api_base = "${resources.stripe.api_base}"
api_key = "sk_test_info"
[resources.by_url]
plugin = "stripe"
kind = "client"
api_base = "${resources.stripe.url}"
api_key = "sk_test_info"
[resources.by_port]
plugin = "stripe"
kind = "client"
api_base = "http://${resources.stripe.host}:${resources.stripe.port}"
api_key = "sk_test_info"
[[test]]
name = "attributes"
[[test.steps]]
use = "stripe.webhook.send"
with = { url = "http://${resources.hooks.host}:${resources.hooks.port}${resources.hooks.path}", secret = "whsec_info", event = { type = "ping" } }
expect = { status = 200 }
[[test.steps]]
use = "stripe.webhook.send"
with = { url = "${resources.hooks.url}", secret = "whsec_info", event = { type = "ping" } }
expect = { status = 200 }
[[test.steps]]
use = "stripe.customers.create"
on = "api"
with = { description = "${resources.api.api_base}" }
expect = { status = 200, "json.description" = "${resources.stripe.api_base}" }
[[test.steps]]
use = "stripe.customers.create"
on = "by_url"
expect = { status = 200 }
[[test.steps]]
use = "stripe.customers.create"
on = "by_port"
expect = { status = 200 }
[[test.steps]]
use = "stripe.mock_calls"
expect = { count = 3 }
TOML
run_seam run "$WORK/attrs.toml"
expect_rc 0

# The excerpt of docs/cli.md, line for line.
run_seam plugins info stripe
checks=$((checks + 1))
python3 - "$DOC" "$WORK/out" <<'PY' || fail "docs/cli.md's plugins info excerpt is not what seam prints"
import re, sys
doc = open(sys.argv[1]).read()
section = doc[doc.index("### `seam plugins info NAME`"):]
block = re.search(r"^```text\n(.*?)^```", section, re.S | re.M).group(1)
out = open(sys.argv[2]).read()
if block not in out:
    print("excerpt:\n" + block, file=sys.stderr)
    sys.exit(1)
PY
finish
