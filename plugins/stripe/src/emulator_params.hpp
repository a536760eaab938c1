// emulator_params.hpp - reading Stripe's form parameters (all strings once
// decoded) as the API does, and the errors it answers when they are wrong.
#pragma once

#include "emulator_api.hpp"

#include <optional>
#include <string>

namespace seam_stripe {

// An invalid_request_error (400 unless told otherwise).
api_error invalid_request(std::string message, std::string param = "", std::string code = "",
                          int status = 400);

// The parameter as an integer; nullopt when absent; api_error when required
// and absent or not an integer.
std::optional<int64_t> int_param(const json &params, const char *name, bool required = false);
// "true"/"false" (booleans as the SDKs send them); fallback when absent.
bool bool_param(const json &params, const char *name, bool fallback);
// A string parameter; nullopt when absent; api_error when required and absent.
std::optional<std::string> string_param(const json &params, const char *name,
                                        bool required = false);
// Merges a metadata parameter into obj["metadata"] as Stripe does: an empty
// value removes its key, metadata="" removes them all.
void merge_metadata(json &obj, const json &params);

} // namespace seam_stripe
