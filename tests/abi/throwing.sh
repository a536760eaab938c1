#!/usr/bin/env bash
# throwing.sh - C++ exceptions thrown by a plugin come back as failed steps
# with their message; they never cross the ABI or crash seam.
set -u
. "$(dirname "$0")/lib.sh"
suites=$(dirname "$0")/suites

run_seam run "$suites/throwing_throw.toml"
expect_rc 1
expect_out "boom from plugin"

run_seam run "$suites/throwing_throw_int.toml"
expect_rc 1
expect_out "unknown C++ exception"

# The run goes on after an exception, and expect.error asserts on its message.
run_seam run "$suites/throwing_expect_error.toml"
expect_rc 0

# ...and expect.error really asserts: a message that does not match fails.
run_seam run "$suites/throwing_expect_wrong_error.toml"
expect_rc 1
finish
