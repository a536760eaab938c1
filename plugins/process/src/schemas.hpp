// schemas.hpp - JSON Schemas of the process plugin's resource table and steps.
#pragma once

#include <string>

namespace seam_process::schemas {

// The command's keys, shared by the resource and process.exec.
inline const std::string command_properties =
    R"js("command": {"type": ["array", "string"], "items": {"type": ["string", "number", "boolean"]},
                 "minItems": 1,
                 "description": "argv, e.g. [\"python3\", \"app.py\"], or a line run by /bin/sh -c"},
     "cwd": {"type": "string", "description": "working directory (default: seam's)"},
     "env": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]},
             "description": "variables set over seam's environment"},
     "clear_env": {"type": "boolean", "default": false,
                   "description": "start from an empty environment instead of seam's"})js";

// One readiness check.
inline const std::string check = R"js({"type": "object",
      "properties": {
        "tcp": {"type": ["integer", "string"], "description": "a port that must accept connections"},
        "host": {"type": "string", "default": "127.0.0.1", "description": "host of a tcp check"},
        "http": {"type": "string", "description": "a URL that must answer"},
        "status": {"type": "integer", "description": "the status the URL must answer (default: any 2xx)"},
        "log": {"type": "string", "description": "a regular expression (RE2) the output must match"},
        "exec": {"type": ["array", "string"], "items": {"type": "string"},
                 "description": "a command that must exit 0"},
        "timeout": {"type": "string", "default": "30s",
                    "description": "how long after the start the check may take"}},
      "oneOf": [{"required": ["tcp"]}, {"required": ["http"]}, {"required": ["log"]},
                {"required": ["exec"]}],
      "additionalProperties": false})js";

inline const std::string resource = R"js({"type": "object",
  "properties": {)js" + command_properties +
                                    R"js(,
    "ports": {"type": "array",
              "items": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$",
                        "description": "a port name such as \"http\""},
              "description": "ports allocated free on 127.0.0.1: $${port.NAME} in command, env, cwd, ready"},
    "ready": {"oneOf": [)js" + check +
                                    R"js(, {"type": "array", "minItems": 1,
                         "items": )js" +
                                    check + R"js(}],
              "description": "what must hold before the resource opens"},
    "grace": {"type": "string", "default": "5s",
              "description": "how long a SIGTERM may take before SIGKILL"},
    "log_size": {"type": "integer", "minimum": 1024, "default": 1048576,
                 "description": "bytes of output kept (the latest)"}},
  "required": ["command"],
  "additionalProperties": false})js";

inline const char *status_output = R"js({"type": "object", "properties": {
  "state": {"type": "string", "enum": ["running", "paused", "exited"]},
  "running": {"type": "boolean"},
  "pid": {"type": "integer", "description": "of the latest start"},
  "starts": {"type": "integer", "description": "how many times it was started"},
  "exit_code": {"type": ["integer", "null"]},
  "signal": {"type": ["string", "null"], "description": "the signal that ended it, e.g. \"KILL\""},
  "by_seam": {"type": "boolean", "description": "a step or seam ended it, not the process itself"}}})js";

inline const char *empty = R"js({"type": "object", "additionalProperties": false})js";

inline const char *stop = R"js({"type": "object",
  "properties": {"grace": {"type": "string", "description": "SIGKILL after this (default: the resource's grace)"}},
  "additionalProperties": false})js";

inline const char *kill = R"js({"type": "object",
  "properties": {
    "signal": {"type": "string", "default": "KILL",
               "pattern": "^(SIG)?(HUP|INT|QUIT|ILL|TRAP|ABRT|BUS|FPE|KILL|USR1|SEGV|USR2|PIPE|ALRM|TERM|CHLD|CONT|STOP|TSTP|TTIN|TTOU|URG|XCPU|XFSZ|VTALRM|PROF|WINCH|IO|SYS)$",
               "description": "a signal name such as \"TERM\", \"KILL\" or \"INT\""},
    "wait": {"type": "string", "description": "wait this long for the process to exit, and fail if it does not"}},
  "additionalProperties": false})js";

inline const char *logs = R"js({"type": "object",
  "properties": {
    "since": {"type": ["integer", "string"], "minimum": 0, "pattern": "^(start|all)$",
              "description": "a mark (the `mark` of an earlier process.logs), \"start\" or \"all\""},
    "until": {"type": "object", "description": "wait until {text, lines} matches this expect-style table"},
    "timeout": {"type": "string", "description": "how long `until` may wait (default: the step's deadline)"}},
  "additionalProperties": false})js";

inline const char *logs_output = R"js({"type": "object", "properties": {
  "text": {"type": "string"},
  "lines": {"type": "array", "items": {"type": "string"}},
  "mark": {"type": "integer", "description": "pass as `since` to read only what comes after"},
  "from": {"type": "integer"},
  "truncated": {"type": "boolean", "description": "older output was dropped (log_size)"}}})js";

inline const std::string exec = R"js({"type": "object",
  "properties": {)js" + command_properties +
                                R"js(,
    "stdin": {"type": "string", "description": "text written to the command's standard input"},
    "timeout": {"type": "string", "description": "kill it after this (default: the step's deadline)"},
    "check": {"type": "boolean", "default": true, "description": "fail the step when the exit code is not 0"},
    "max_output": {"type": "integer", "minimum": 0, "default": 1048576,
                   "description": "bytes kept of stdout and of stderr"}},
  "required": ["command"],
  "additionalProperties": false})js";

inline const char *exec_output = R"js({"type": "object", "properties": {
  "exit_code": {"type": ["integer", "null"]},
  "signal": {"type": ["string", "null"]},
  "stdout": {"type": "string"},
  "stderr": {"type": "string"},
  "duration_ms": {"type": "integer"}}})js";

} // namespace seam_process::schemas
