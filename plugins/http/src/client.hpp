// client.hpp - the http.request step: one HTTP request with libcurl.
#pragma once

#include <seam/plugin.hpp>

namespace seam::http {

// Sends the request described by `input` (see schemas.cpp and
// docs/plugins/http.md) and returns status, headers, body, json, timings.
// Throws seam::error for bad input and for transport failures (refused,
// DNS, timeout, TLS, reset), with a message naming which.
seam::json_text perform_request(seam::json_view input, seam::context &ctx);

} // namespace seam::http
