#!/usr/bin/env bash
# run_suite.sh SEAM PLUGIN_DIR SUITE: runs a suite with the real seam binary;
# every step must pass, and the suite's API key and webhook secret must appear
# in none of the console output, the JUnit report or the JSON report.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
require_kinds
SUITE=${3:?suite file}
run_seam run "$SUITE" --report "json:$WORK/report.json" --report "junit:$WORK/report.xml"
expect_rc 0
expect_all_passed "$SUITE" "$WORK/report.json"
for secret in sk_test_seam_example_4242 whsec_seam_example_secret; do
  expect_absent "$secret" "$WORK/out" "$WORK/report.json" "$WORK/report.xml"
done
# The same with a key from the environment, as CI passes one.
export STRIPE_API_KEY=sk_test_from_the_environment_77
run_seam run "$SUITE" --report "json:$WORK/report2.json" --report "junit:$WORK/report2.xml"
expect_rc 0
expect_absent "$STRIPE_API_KEY" "$WORK/out" "$WORK/report2.json" "$WORK/report2.xml"
finish
