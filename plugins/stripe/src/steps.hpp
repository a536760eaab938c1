// steps.hpp - what the stripe pack's steps do, apart from the ABI: each takes
// its resource, its input and the step's context, and returns its output.
#pragma once

#include "client.hpp"
#include "emulator_server.hpp"
#include "webhook_listener.hpp"

#include <seam/plugin.hpp>

#include <vector>

namespace seam_stripe {

// A typed request step: stripe.payment_intents.create and the others.
struct typed_step {
  const char *name, *summary, *method, *path; // path may hold {id}
  const char *params;                         // schema properties of its parameters
  const char *required;                       // its required inputs, JSON list items
};
const std::vector<typed_step> &typed_steps();

json run_request(const client_config &client, const json &input, seam::context &ctx);
json run_typed(const typed_step &step, const client_config &client, const json &input,
               seam::context &ctx);
json run_list(const client_config &client, const json &input, seam::context &ctx);
json run_mock_calls(const emulator_server &mock, const json &input, seam::context &ctx);
json run_events(const emulator_server &mock, const json &input, seam::context &ctx);
json run_webhook_send(const json &input, seam::context &ctx);
json run_webhook_wait(const webhook_listener &listener, const json &input, seam::context &ctx);

} // namespace seam_stripe
