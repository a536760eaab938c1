// schemas.hpp - JSON Schemas of the http plugin's steps and resource, which
// `seam check` validates suites against and `seam plugins info` documents.
#pragma once

#include <seam/plugin.hpp>

namespace seam::http::schemas {

seam::json request_input();
seam::json request_output();
seam::json mock_resource();
seam::json mock_calls_input();
seam::json mock_calls_output();
seam::json mock_reset_input();
seam::json mock_reset_output();

} // namespace seam::http::schemas
