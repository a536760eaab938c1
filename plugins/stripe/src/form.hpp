// form.hpp - Stripe's form encoding: nested parameters as bracketed keys
// (metadata[k]=v, items[0][price]=p), exactly as the official SDKs write
// them, and the reverse for the emulator, which reads such bodies.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace seam_stripe {

using json = nlohmann::json;

// Encodes a JSON object as application/x-www-form-urlencoded the way
// stripe-node does: objects and arrays nest with brackets (arrays by index),
// booleans are "true"/"false", null is an empty value (which unsets a field),
// empty arrays and objects send nothing. Everything but [A-Za-z0-9-_.~] and
// brackets is percent-encoded. Keys keep the order of
// the object.
std::string form_encode(const json &params);

// Percent-encodes one key or value as form_encode does.
std::string form_escape(std::string_view text);

// Decodes a form body (or query string) into nested JSON: "a[b][0]=x" is
// {"a": {"b": ["x"]}}, "expand[]=x&expand[]=y" appends. Every leaf is a
// string, as on Stripe's side, which coerces by parameter. A key whose shape
// conflicts with an earlier one ("a=1&a[b]=2") throws std::invalid_argument
// naming the key.
json form_decode(std::string_view body);

} // namespace seam_stripe
