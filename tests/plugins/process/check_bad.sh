#!/usr/bin/env bash
# check_bad.sh SEAM PLUGIN_DIR: bad `process` configurations and steps get a
# clear error naming the resource, with the documented exit code; nothing
# they started is left running.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "$@"
BAD=$HERE/bad

# Caught by `seam check` (and by `run` before anything starts): exit code 2.
run_seam check "$BAD/missing_command.toml"
expect_rc 2
expect_out_re "missing_command.toml:1:1: error: resource 'web': .*command"

run_seam check "$BAD/unknown_signal.toml"
expect_rc 2
expect_out "unknown_signal.toml:11:"
expect_out "TERMINATE"
expect_out "a signal name such as"

run_seam check "$BAD/bad_since.toml"
expect_rc 2
expect_out "bad_since.toml:10:18: error: process.logs: 'since' is \"yesterday\", not a mark"

# ${port.NAME} without seam's escape is a reference seam itself resolves.
run_seam check "$BAD/unescaped_port.toml"
expect_rc 2
expect_out "unescaped_port.toml:3:45: error: unknown variable 'port'"

run_seam check "$BAD/two_checks_in_one.toml"
expect_rc 2
expect_out "resource 'web'"
expect_out "two_checks_in_one.toml:4:"

# Found when the resource opens: the suite fails (exit code 1), with the
# resource's name and location, and its tests are not run.
run_seam run "$BAD/undeclared_port.toml"
expect_rc 1
expect_out "resource 'web' ($BAD/undeclared_port.toml:1:12) could not be opened"
# shellcheck disable=SC2016 # a literal ${port.admin}
expect_out 'command[3] uses ${port.admin}, but `ports` declares only "http"'
expect_out 'hint: add "admin" to ports'

run_seam run "$BAD/ready_timeout.toml"
expect_rc 1
expect_out "resource 'web'"
expect_out_re "not ready within 1s: tcp 127\.0\.0\.1:[0-9]+ \(Connection refused\); the process is running \(pid [0-9]+\)"
expect_out "| [service] starting, but never listening"
no_leftovers

run_seam run "$BAD/exits_at_start.toml"
expect_rc 1
expect_out "resource 'web'"
expect_out "the process exited with code 3 before it was ready"
expect_out "| [service] fatal: exiting with 3"
no_leftovers

run_seam run "$BAD/not_found.toml"
expect_rc 1
expect_out "resource 'web'"
expect_out "'no-such-program-for-seam' not found in PATH"

run_seam run "$BAD/bad_regex.toml"
expect_rc 1
expect_out "resource 'web'"
expect_out "ready.log: bad regular expression 'listening (on'"
no_leftovers
finish
