// ABI 1.2: typed input and a built output for plugins without a JSON library.
// The input is parsed once per call, on the first input_* call; paths are the
// suite's own path syntax (JsonPath). Nothing here may throw into a plugin.
#include "call_context.hpp"

#include "seam/core/base/json_path.hpp"

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

bool fits_int64(const json &v) {
  if (v.is_number_unsigned())
    return v.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  return v.is_number_integer();
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
  const json *v = at(ctx, path, "input_type");
  if (!v)
    return SEAM_JSON_MISSING;
  switch (v->type()) {
  case json::value_t::null:
    return SEAM_JSON_NULL;
  case json::value_t::boolean:
    return SEAM_JSON_BOOL;
  case json::value_t::number_integer:
  case json::value_t::number_unsigned:
    return fits_int64(*v) ? SEAM_JSON_INT : SEAM_JSON_NUMBER;
  case json::value_t::number_float:
    return SEAM_JSON_NUMBER;
  case json::value_t::string:
    return SEAM_JSON_STRING;
  case json::value_t::array:
    return SEAM_JSON_ARRAY;
  case json::value_t::object:
    return SEAM_JSON_OBJECT;
  default:
    return SEAM_JSON_MISSING;
  }
}

int input_string(seam_ctx *ctx, const char *path, const char **out, size_t *len) {
  const json *v = at(ctx, path, "input_string");
  if (!v || !v->is_string())
    return 0;
  const std::string &s = v->get_ref<const std::string &>();
  if (out)
    *out = s.c_str();
  if (len)
    *len = s.size();
  return 1;
}

int input_int(seam_ctx *ctx, const char *path, int64_t *out) {
  const json *v = at(ctx, path, "input_int");
  if (!v || !v->is_number_integer() || !fits_int64(*v))
    return 0;
  if (out)
    *out = v->is_number_unsigned() ? static_cast<int64_t>(v->get<uint64_t>()) : v->get<int64_t>();
  return 1;
}

int input_double(seam_ctx *ctx, const char *path, double *out) {
  const json *v = at(ctx, path, "input_double");
  if (!v || !v->is_number())
    return 0;
  if (out)
    *out = v->get<double>();
  return 1;
}

int input_bool(seam_ctx *ctx, const char *path, int *out) {
  const json *v = at(ctx, path, "input_bool");
  if (!v || !v->is_boolean())
    return 0;
  if (out)
    *out = v->get<bool>() ? 1 : 0;
  return 1;
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
  const json *v = at(ctx, path, "input_size");
  if (!v || !(v->is_array() || v->is_object()))
    return -1;
  return static_cast<int64_t>(v->size());
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
