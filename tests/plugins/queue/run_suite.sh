#!/usr/bin/env bash
# run_suite.sh SEAM PLUGIN_DIR RABBITMQ_DIR SUITE - runs a suite with seam
# against the broker tools/rabbitmq started in RABBITMQ_DIR; passes when
# every test of the suite passes.
set -euo pipefail
seam=$1 plugins=$2 broker=$3 suite=$4
SEAM_AMQP_URL=$(cat "$broker/url")
export SEAM_AMQP_URL
exec "$seam" run --plugin-path "$plugins" "$suite"
