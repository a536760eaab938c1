#!/usr/bin/env bash
# malformed.sh - every suite in malformed/ is refused before anything runs:
# exit code 2, "FILE:LINE:COL: error: MESSAGE" naming the right place, the
# offending line quoted with a caret under the column, and nothing run.
# The table below is the expected first diagnostic of each file; a file in
# malformed/ without a row fails the test, so the corpus cannot grow unchecked.
# Mode "check": `seam check` finds it. Mode "run": only a run can (an
# environment variable unset at run time); `seam run` still stops before any step.
#   malformed.sh [K N] : only the rows K, K+N, K+2N... (1-based), so that ctest
#   runs the corpus in N pieces side by side; the checks of the whole corpus
#   run in piece 1.
set -euo pipefail
shard=${1:-1}
shards=${2:-1}
. "$(dirname "$0")/lib.sh"
DIR=$CLI_DIR/malformed
unset SEAM_MALFORMED_UNSET_HOST SEAM_MALFORMED_UNSET_TOKEN

# The caret's column on the line after " N | TEXT": the " | " prefix is as wide
# on both lines.
caret_col() {
  local line trimmed prefix
  while IFS= read -r line; do
    trimmed=${line%"${line##*[![:space:]]}"}
    if [[ "$line" == *"| "* && "$trimmed" == *"^" ]]; then
      prefix=${line%%"| "*}
      echo $((${#trimmed} - ${#prefix} - 2))
      return
    fi
  done < <(tail -n +2 <<<"$1")
  echo -1
}

declare -A seen=()
row=0
while IFS='|' read -r mode file loc msg; do
  [ -n "$mode" ] || continue
  seen[$file]=1
  row=$((row + 1))
  [ $(((row - 1) % shards)) -eq $((shard - 1)) ] || continue
  path=$DIR/$file
  line=${loc%%:*}
  col=${loc#*:}
  if [ "$mode" = check ]; then
    run_seam check "$path"
    expect_rc 2 "$file"
    expect_line err "$path:$loc: error: $msg"
    expect_in err "1 error in 1 file"
    # The offending line, quoted, and the caret under the column.
    src=$(sed -n "${line}p" "$path")
    expect_in err " $line | $src"
    got=$(caret_col "$err")
    checks=$((checks + 1))
    [ "$got" = "$col" ] || { fail "$file: caret at column $((got + 1)) (1-based), not $col"; show; }
  fi
  # A run refuses the file too, before any step: nothing on stdout.
  run_seam run "$path"
  expect_rc 2 "$file (run)"
  expect_line err "$path:$loc: error: $msg"
  expect_in err "nothing was run"
  checks=$((checks + 1))
  [ -z "$out" ] || { fail "$file: seam run printed results, so something ran"; show; }
done <<'TABLE'
check|bad_duration_number.toml|4:11|bad duration for 'timeout' in a test: an integer has no unit
check|bad_duration_text.toml|8:11|bad duration '5 seconds' for 'timeout' in a step
check|duration_over_ten_years.toml|8:11|bad duration '87661h' for 'timeout' in a step: it is longer than 10 years (87660h), the longest duration seam takes
check|duration_overflow.toml|7:36|bad duration '99999999999999999999999999999999999999s' for 'interval' in retry: it is longer than 10 years (87660h), the longest duration seam takes
check|bad_reference.toml|7:17|bad reference '${not a name}'
check|bad_regex.toml|8:24|bad regular expression "([a-z]+": missing ): ([a-z]+
check|bad_type_name.toml|7:20|unknown type "int" for 'type'
check|duplicate_test_names.toml|9:8|two tests are named 'same'
check|empty_reference.toml|7:15|bad reference '${}'
run|env_reference_unset.toml|3:16|environment variable SEAM_MALFORMED_UNSET_HOST is not set (in variable 'base')
run|env_secret_unset.toml|4:1|environment variable SEAM_MALFORMED_UNSET_TOKEN is not set (variable 'token')
check|exists_not_bool.toml|7:20|'exists' takes true or false, not "yes"
check|expect_bad_path.toml|7:12|bad path 'json..count' in expect: empty segment in path
check|expect_error_false.toml|7:16|expect.error = false is the default; leave it out
check|expect_not_table.toml|7:10|'expect' must be a table of PATH = value-or-matcher, not a string
check|in_not_array.toml|7:20|'in' takes a list of allowed values, not 3
check|input_array_with_reference.toml|10:20|probe.log: 'message' must be a string, not an array (["me"])
check|input_below_minimum.toml|7:15|probe.sleep: 'ms' must be at least 0, not -5
check|len_with_string.toml|8:27|'len' takes a whole number or a matcher table, not "two"
check|matcher_mixed_keys.toml|7:20|matcher table mixes operators with the key 'value'
check|matcher_typo.toml|8:24|unknown matcher 'matchs'
check|missing_required_input.toml|7:8|probe.sleep: missing required input 'ms'
check|missing_use.toml|5:1|step has no 'use'
check|on_for_step_without_resource.toml|10:6|step probe.noop works on no resource
check|plugin_without_resources.toml|3:10|plugin 'throwing' provides no resources (resource 't')
check|resource_bad_config.toml|4:8|resource 'r': unknown input 'tagg'
check|resource_cycle.toml|2:12|resources depend on each other in a cycle: a -> b -> a
check|resource_of_other_plugin.toml|10:6|resource 'p' belongs to plugin 'probe', but step throwing.ok is from plugin 'throwing'
check|resource_step_without_resource.toml|6:7|step probe.resource_tag needs a probe resource, and the suite declares none
check|resource_without_plugin.toml|2:1|resource 'db' has no 'plugin'
check|retry_backoff_below_one.toml|7:54|retry.backoff must be a number from 1 to 100 (the factor the interval grows by)
check|retry_unknown_key.toml|7:25|unknown key 'intervall' in retry
check|retry_zero_attempts.toml|7:22|retry.attempts must be a whole number from 1 to 1000000
check|save_bad_path.toml|7:14|bad path 'count[x]' in save: expected an index like [0] or a key like ["name"] in path
check|save_not_string.toml|7:14|save 'n' must be a path string into the step's output, not an integer
check|save_on_expected_failure.toml|8:10|a step that is expected to fail cannot save outputs
check|secret_not_boolean.toml|3:33|'secret' must be true or false
check|skip_wrong_type.toml|4:8|'skip' must be true or a reason string
check|step_not_table.toml|4:10|each [[test.steps]] must be a table, not a string
check|tag_not_string.toml|3:15|tags must be strings, not an integer
check|tags_not_array.toml|4:8|'tags' in a test must be an array of strings
check|test_id_in_setup.toml|4:16|'${test.id}' is only defined inside a test
check|test_without_name.toml|2:1|test has no name
check|test_without_steps.toml|2:1|test 'empty' has no steps
check|toml_bad_escape.toml|7:39|invalid TOML: Error while parsing string: unknown escape sequence '\d'
check|toml_duplicate_key.toml|4:8|invalid TOML: Error while parsing key-value pair: cannot redefine existing string 'name'
check|toml_missing_value.toml|3:7|invalid TOML: Error while parsing key-value pair: expected value, saw '\n'
check|toml_table_twice.toml|8:1|invalid TOML: Error while parsing table header: cannot redefine existing table 'suite'
check|toml_trailing_comma.toml|7:17|invalid TOML: Error while parsing inline table: expected key-value pair, saw closing '}' (dangling comma)
check|toml_unclosed_header.toml|2:7|invalid TOML: Error while parsing table header: expected ']', saw '\n'
check|toml_unterminated_string.toml|3:15|invalid TOML: unterminated string: the line ends before its closing quote
check|undefined_resource_on.toml|10:6|undefined resource 'dbb'
check|undefined_resource_reference.toml|10:17|undefined resource 'nope' in '${resources.nope.url}'
check|unknown_builtin.toml|7:15|unknown built-in '${run.idd}'
check|unknown_input.toml|7:25|probe.sleep: unknown input 'msec'
check|unknown_plugin.toml|6:8|unknown plugin 'nosuchplugin'
check|unknown_step.toml|6:14|unknown step 'probe.ech'
check|unknown_step_key.toml|7:1|unknown key 'wiht' in a step
check|unknown_test_key.toml|4:1|unknown key 'tgas' in a test
check|unknown_top_key.toml|2:2|unknown key 'suit' in the suite file
check|unknown_variable.toml|10:17|unknown variable 'base_ur'
check|unterminated_reference.toml|7:22|unterminated '${' in string
check|use_not_string.toml|6:7|'use' in a step must be a string, not an integer
check|use_without_dot.toml|6:7|'use' must name a step as PLUGIN.STEP, not 'probe'
check|uuid_with_path.toml|7:16|'${uuid}' takes no path
check|var_refers_to_resource.toml|6:9|variables cannot refer to resources ('${resources.r.port}')
check|variable_cycle.toml|3:1|variable 'a' refers to itself through other variables
check|variable_without_value.toml|3:1|variable 'token' needs 'env' or 'value'
check|with_not_table.toml|7:8|'with' must be a table of inputs, not a string
check|wrong_input_type.toml|7:15|probe.sleep: 'ms' must be an integer, not a string ("x")
check|const_var_wrong_type.toml|10:15|probe.sleep: 'ms' must be an integer, not a string ("soon")
check|path_into_constant_var.toml|10:15|'${user.email}': variable 'user' has no 'email'
run|env_in_step_unset.toml|8:18|environment variable SEAM_MALFORMED_UNSET_HOST is not set
check|var_expands_exponentially.toml|28:1|variable 'w24' expands to about 32 MiB, more than the 16 MiB a value may hold
TABLE
[ "$shard" = 1 ] || finish

for path in "$DIR"/*.toml; do
  checks=$((checks + 1))
  [ -n "${seen[$(basename "$path")]:-}" ] || fail "$(basename "$path") has no row in malformed.sh"
done
checks=$((checks + 1))
[ "${#seen[@]}" -ge 25 ] || fail "the corpus holds only ${#seen[@]} files"

# The whole directory at once: every file's error, counted, exit code 2.
run_seam check "$DIR"
expect_rc 2 "directory"
checks=$((checks + 1))
n=$(grep -c ': error: ' <<<"$err" || true)
want=$(grep -c '^check|' "$0")
[ "$n" -ge "$want" ] || { fail "checking the directory reported $n errors, want at least $want"; show; }
expect_regex err "^[0-9]+ errors in [0-9]+ files$"
finish
