// emulator_params.cpp - see emulator_params.hpp.
#include "emulator_params.hpp"

namespace seam_stripe {

api_error invalid_request(std::string message, std::string param, std::string code, int status) {
  json e = {{"type", "invalid_request_error"}, {"message", std::move(message)}};
  if (!param.empty())
    e["param"] = std::move(param);
  if (!code.empty()) {
    e["doc_url"] = "https://stripe.com/docs/error-codes/" + code;
    e["code"] = std::move(code);
  }
  return api_error{status, std::move(e)};
}

std::optional<std::string> string_param(const json &params, const char *name, bool required) {
  auto it = params.find(name);
  if (it == params.end() || (it->is_string() && it->get<std::string>().empty() && required)) {
    if (required)
      throw invalid_request(std::string("Missing required param: ") + name + ".", name,
                            "parameter_missing");
    return std::nullopt;
  }
  if (!it->is_string())
    throw invalid_request(std::string("Invalid string: ") + it->dump(), name,
                          "parameter_invalid_string");
  return it->get<std::string>();
}

std::optional<int64_t> int_param(const json &params, const char *name, bool required) {
  auto text = string_param(params, name, required);
  if (!text)
    return std::nullopt;
  size_t used = 0;
  int64_t value = 0;
  try {
    value = std::stoll(*text, &used);
  } catch (...) {
    used = 0;
  }
  if (text->empty() || used != text->size())
    throw invalid_request("Invalid integer: " + *text, name, "parameter_invalid_integer");
  return value;
}

bool bool_param(const json &params, const char *name, bool fallback) {
  auto text = string_param(params, name);
  if (!text)
    return fallback;
  if (*text == "true")
    return true;
  if (*text == "false")
    return false;
  throw invalid_request("Invalid boolean: " + *text, name);
}

void merge_metadata(json &obj, const json &params) {
  auto it = params.find("metadata");
  if (it == params.end())
    return;
  json &metadata = obj["metadata"];
  if (!metadata.is_object())
    metadata = json::object();
  if (it->is_string()) {
    if (!it->get<std::string>().empty())
      throw invalid_request("Invalid object", "metadata");
    metadata = json::object();
    return;
  }
  if (!it->is_object())
    throw invalid_request("Invalid object", "metadata");
  for (const auto &[k, v] : it->items()) {
    if (!v.is_string())
      throw invalid_request("Invalid string: " + v.dump(), "metadata[" + k + "]");
    if (v.get<std::string>().empty())
      metadata.erase(k);
    else
      metadata[k] = v;
  }
}

} // namespace seam_stripe
