// cookie_jars.hpp - named cookie jars for http.request's `cookies` input.
//
// A jar is a libcurl share handle that shares cookies only, so requests that
// name the same jar see each other's cookies, from any thread and any pooled
// easy handle. Jars live until the process exits.
#pragma once

#include <seam/plugin.hpp>

#include <curl/curl.h>

#include <string>

namespace seam_http {

// The share handle of the jar `name`, created on first use.
CURLSH *cookie_jar(const std::string &name);

// The cookies a jar holds for the transfer's handle, as { name = value }.
seam::json cookies_of(CURL *handle);

} // namespace seam_http
