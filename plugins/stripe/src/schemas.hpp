// schemas.hpp - the JSON Schemas of the stripe pack's resource kinds and
// steps (what `seam check` validates and `seam plugins info stripe` shows).
#pragma once

#include <string>

namespace seam_stripe::schemas {

extern const char *const client_config;
extern const char *const mock_config;
extern const char *const webhooks_config;

std::string request_input();
// A typed step's input: its id (when the path has one), its Stripe
// parameters at the top level, and the request options; nothing else
// (`seam check` refuses other inputs with `unknown_hint`).
std::string typed_input(bool has_id, const char *params_properties, const char *required,
                        const std::string &unknown_hint);
extern const char *const response_output;
std::string list_input();
extern const char *const list_output;
extern const char *const mock_calls_input;
extern const char *const events_input;
extern const char *const webhook_send_input;
extern const char *const webhook_send_output;
extern const char *const webhook_wait_input;
extern const char *const webhook_wait_output;

} // namespace seam_stripe::schemas
