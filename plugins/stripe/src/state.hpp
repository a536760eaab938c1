// state.hpp - what the stripe pack keeps for as long as seam runs it, owned
// by the SDK (plugin.state<plugin_state>()): libcurl's global setup, made
// before the first request and undone after the last resource closed.
#pragma once

#include <curl/curl.h>

namespace seam_stripe {

struct plugin_state {
  plugin_state() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~plugin_state() { curl_global_cleanup(); }
  plugin_state(const plugin_state &) = delete;
  plugin_state &operator=(const plugin_state &) = delete;
};

} // namespace seam_stripe
