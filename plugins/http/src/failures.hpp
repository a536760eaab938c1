// failures.hpp - what http.request says when a transfer fails: which of
// refused, DNS, timeout, TLS, reset, redirects, ... and a hint to fix it.
#pragma once

#include "proxy.hpp"
#include "response.hpp"

#include <seam/plugin.hpp>

#include <curl/curl.h>

#include <optional>
#include <string>

namespace seam::http {

// The message for libcurl's `rc` (with the socket's errno and libcurl's
// error buffer) on a request to `host` under `limit`, through `proxy` if
// any: a failure to reach the proxy names the proxy, not the host.
std::string describe_failure(CURLcode rc, long os_errno, const char *errbuf,
                             const std::string &host, const time_limit &limit,
                             const seam::context &ctx, const std::optional<proxy_choice> &proxy);

} // namespace seam::http
