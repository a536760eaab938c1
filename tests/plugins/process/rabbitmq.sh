#!/usr/bin/env bash
# rabbitmq.sh SEAM PLUGIN_DIR: RabbitMQ started by seam (rabbitmq.toml), used
# through the queue plugin, and gone once seam ends (no_orphans.py checks the
# Erlang VM and its helpers too).
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"

if [[ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || ! command -v epmd >/dev/null; then
  echo "SKIP: no RabbitMQ server (apt-get install rabbitmq-server)"
  exit 77
fi
if [[ ! -e "$PLUGIN_DIR/seam-queue.so" ]]; then
  echo "SKIP: the queue plugin is not built"
  exit 77
fi

run_seam run "$HERE/rabbitmq.toml" --report "json:$WORK/report.json"
expect_rc 0
no_leftovers
finish
