// ABI 1.2: typed input and a built output for plugins without a JSON library.
// The input is parsed once per call, on the first input_* call; paths are the
// suite's own path syntax (JsonPath). Nothing here may throw into a plugin.
#include "call_context.hpp"

#include "seam/core/base/json_path.hpp"

#include <seam/typed_json.hpp>

#include <cstring>
#include <limits>

namespace seam::call_io {

namespace {

const json &parsed_input(seam_ctx *ctx) {
  if (!ctx->input_parsed) {
    ctx->input_parsed = true;
    ctx->parsed = json::parse(ctx->input, nullptr, false);
  }
  return ctx->parsed;
}

// A path that is one plain key ("ms") is looked up without parsing a path.
bool plain_key(std::string_view p) {
  return !p.empty() && p.find_first_of(".[]\"") == std::string_view::npos;
}

// The input value at PATH, or nullptr (missing, unparsable input, bad path).
const json *at(seam_ctx *ctx, const char *path, const char *fn) {
  if (!ctx)
    return nullptr;
  try {
    const json &doc = parsed_input(ctx);
    if (doc.is_discarded())
      return nullptr;
    std::string_view p = path ? path : "";
    if (p.empty())
      return &doc;
    if (plain_key(p)) {
      if (!doc.is_object())
        return nullptr;
      auto it = doc.find(p);
      return it == doc.end() ? nullptr : &*it;
    }
    std::string why;
    auto parsed = JsonPath::parse(p, &why);
    if (!parsed) {
      log_error(ctx, std::string(fn) + ": " + why + ": '" + std::string(p) + "'");
      return nullptr;
    }
    return parsed->find(doc);
  } catch (const std::exception &) {
    return nullptr;
  }
}

// Sets PATH of the output being built; records the first misuse.
template <class Make> void put(seam_ctx *ctx, const char *path, const char *fn, Make &&value) {
  if (!ctx)
    return;
  try {
    std::string_view p = path ? path : "";
    json *slot = nullptr;
    std::string why;
    if (p.empty()) {
      slot = &ctx->built;
    } else if (plain_key(p)) {
      if (ctx->built.is_null())
        ctx->built = json::object();
      if (ctx->built.is_object())
        slot = &ctx->built[std::string(p)];
      else
        why = "'" + std::string(p) + "' of " + ctx->built.type_name();
    } else if (auto parsed = JsonPath::parse(p, &why)) {
      slot = parsed->make(ctx->built, &why);
    }
    if (!slot) {
      if (ctx->output_problem.empty())
        ctx->output_problem = std::string(fn) + ": " + why;
      return;
    }
    *slot = value();
    ctx->has_built = true;
  } catch (const std::exception &e) {
    if (ctx->output_problem.empty())
      ctx->output_problem = std::string(fn) + ": " + e.what();
  }
}

} // namespace

void log_error(seam_ctx *ctx, const std::string &text) {
  // Bounded, so a chatty plugin cannot exhaust memory through its reports.
  if (ctx && ctx->logs.size() < 1000)
    ctx->logs.push_back({SEAM_LOG_ERROR, text});
}

seam_json_type input_type(seam_ctx *ctx, const char *path) {
  return typed_json::type_of(at(ctx, path, "input_type"));
}

int input_string(seam_ctx *ctx, const char *path, const char **out, size_t *len) {
  return typed_json::read_string(at(ctx, path, "input_string"), out, len);
}

int input_int(seam_ctx *ctx, const char *path, int64_t *out) {
  return typed_json::read_int(at(ctx, path, "input_int"), out);
}

int input_double(seam_ctx *ctx, const char *path, double *out) {
  return typed_json::read_double(at(ctx, path, "input_double"), out);
}

int input_bool(seam_ctx *ctx, const char *path, int *out) {
  return typed_json::read_bool(at(ctx, path, "input_bool"), out);
}

int input_json(seam_ctx *ctx, const char *path, const char **out, size_t *len) {
  const json *v = at(ctx, path, "input_json");
  if (!v)
    return 0;
  try {
    const std::string &text = ctx->texts.emplace_front(v->dump());
    if (out)
      *out = text.c_str();
    if (len)
      *len = text.size();
    return 1;
  } catch (const std::exception &) {
    return 0;
  }
}

int64_t input_size(seam_ctx *ctx, const char *path) {
  return typed_json::size_of(at(ctx, path, "input_size"));
}

void output_string(seam_ctx *ctx, const char *path, const char *value, size_t len) {
  put(ctx, path, "output_string",
      [&] { return json(std::string(value ? value : "", value ? len : 0)); });
}

void output_int(seam_ctx *ctx, const char *path, int64_t value) {
  put(ctx, path, "output_int", [&] { return json(value); });
}

void output_double(seam_ctx *ctx, const char *path, double value) {
  put(ctx, path, "output_double", [&] { return json(value); });
}

void output_bool(seam_ctx *ctx, const char *path, int value) {
  put(ctx, path, "output_bool", [&] { return json(value != 0); });
}

void output_null(seam_ctx *ctx, const char *path) {
  put(ctx, path, "output_null", [] { return json(); });
}

int output_json(seam_ctx *ctx, const char *path, const char *json_text, size_t len) {
  if (!ctx)
    return 0;
  json value = json::parse(std::string_view(json_text ? json_text : "", json_text ? len : 0),
                           nullptr, false);
  if (value.is_discarded())
    return 0;
  put(ctx, path, "output_json", [&] { return std::move(value); });
  return 1;
}

} // namespace seam::call_io
