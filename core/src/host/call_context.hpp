// The host's per-call context (seam_ctx, opaque to plugins) and the ABI 1.2
// typed-input / built-output functions of the host table that act on it.
// Private to the core: plugin_calls.cpp (and plugin_host.cpp, for a plugin's
// init) make contexts, call_io.cpp reads and builds their JSON.
#pragma once

#include "seam/core/host/plugin_host.hpp"

#include <seam/plugin.h>

#include <nlohmann/json.hpp>

#include <forward_list>
#include <string>
#include <string_view>
#include <vector>

struct seam_ctx {
  std::string output;
  std::string error;
  bool has_output = false;
  bool has_error = false;
  std::vector<seam::LogLine> logs;
  const seam::CallLimits *limits = nullptr;
  seam::Secrets *secrets = nullptr;
  uint32_t jobs = 1;

  // The call's input (a step's `with`, a resource's table), parsed the first
  // time an input_* function needs it, so that calls that never ask pay
  // nothing.
  std::string_view input;
  bool input_parsed = false;
  nlohmann::json parsed; // discarded when the input is not JSON
  // input_json's texts: stable addresses until the call returns (a list,
  // which unlike a deque allocates nothing until it is used).
  std::forward_list<std::string> texts;
  // What output_* built, and the first misuse of them (reported as the
  // call's error when the built output would have been its output).
  nlohmann::json built;
  bool has_built = false;
  std::string output_problem;

  seam_ctx(const seam::CallLimits *l, seam::Secrets *s, uint32_t j, std::string_view in = {})
      : limits(l), secrets(s), jobs(j), input(in) {}
};

namespace seam::call_io {

void log_error(seam_ctx *ctx, const std::string &text);

seam_json_type input_type(seam_ctx *ctx, const char *path);
int input_string(seam_ctx *ctx, const char *path, const char **out, size_t *len);
int input_int(seam_ctx *ctx, const char *path, int64_t *out);
int input_double(seam_ctx *ctx, const char *path, double *out);
int input_bool(seam_ctx *ctx, const char *path, int *out);
int input_json(seam_ctx *ctx, const char *path, const char **out, size_t *len);
int64_t input_size(seam_ctx *ctx, const char *path);
void output_string(seam_ctx *ctx, const char *path, const char *value, size_t len);
void output_int(seam_ctx *ctx, const char *path, int64_t value);
void output_double(seam_ctx *ctx, const char *path, double value);
void output_bool(seam_ctx *ctx, const char *path, int value);
void output_null(seam_ctx *ctx, const char *path);
int output_json(seam_ctx *ctx, const char *path, const char *json_text, size_t len);

} // namespace seam::call_io

namespace seam {

// The function table every plugin call receives (plugin_calls.cpp); the
// loader hands it to a plugin's init.
const seam_host_api &host_api();

} // namespace seam
