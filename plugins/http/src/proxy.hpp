// proxy.hpp - which proxy, if any, http.request goes through.
//
// libcurl would read http_proxy & co itself, but then a request to a service
// on loopback could be sent to a corporate proxy, and a failure would name
// the target while it was the proxy that refused. So the plugin decides:
//   - `proxy = "URL"` in the step: that proxy, for every host;
//   - `proxy = false`: no proxy, whatever the environment says;
//   - otherwise the environment, as curl reads it: http_proxy for http://
//     (never HTTP_PROXY, see "httpoxy"), https_proxy or HTTPS_PROXY for
//     https://, then all_proxy or ALL_PROXY; except for hosts that no_proxy
//     (or NO_PROXY) lists, and never for loopback (localhost, 127.0.0.0/8,
//     ::1): a test's local servers are reached directly.
#pragma once

#include <seam/plugin.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace seam::http {

struct proxy_choice {
  std::string url;    // as given, to hand to libcurl
  std::string shown;  // the URL without credentials, for messages
  std::string source; // where it came from: "proxy input", "http_proxy", ...
};

using getenv_fn = std::function<const char *(const char *)>;

// The proxy for a request to scheme://host (host as in the URL, IPv6 in
// brackets or not); nullopt: connect directly. `input` is the step's `proxy`
// (nullptr when not given). Throws seam::error for a malformed `proxy`.
std::optional<proxy_choice> choose_proxy(const seam::json *input, std::string_view scheme,
                                         std::string_view host, const getenv_fn &getenv);

// Whether a no_proxy list ("example.com,.internal,10.0.0.0/8,*") names host.
bool no_proxy_matches(std::string_view list, std::string_view host);

// Whether host is this machine's loopback (localhost, 127.x.y.z, ::1).
bool is_loopback(std::string_view host);

} // namespace seam::http
