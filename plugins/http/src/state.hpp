// state.hpp - what the http plugin keeps between calls, owned by the SDK
// (plugin.state<plugin_state>()): built when seam starts the plugin,
// destroyed when it shuts it down, after the last call.
#pragma once

#include "cookie_jars.hpp"
#include "handle_pool.hpp"

namespace seam::http {

struct plugin_state {
  curl_library curl; // first in, last out: the handles and jars need it
  handle_pool handles;
  cookie_jars jars;
};

} // namespace seam::http
