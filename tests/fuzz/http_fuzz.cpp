// Fuzz target: http.request's input handling (method, URL path and query,
// query table, headers, bodies, auth, form and multipart encoding) through
// the plugin's C entry point. Nothing leaves the machine: the URL is always
// http://127.0.0.1:1/ (a closed port, refused at once) followed by the
// fuzzed path, no proxy, no files read, a short timeout.
#include "plugin_fuzz.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using seam_fuzz::json;

namespace {

void no_files(json &multipart) {
  if (!multipart.is_object())
    return;
  for (auto &[k, v] : multipart.items())
    if (v.is_object())
      v.erase("file");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static seam_fuzz::loaded_plugin *http = [] {
    for (const char *v :
         {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"})
      ::unsetenv(v);
    return new seam_fuzz::loaded_plugin(SEAM_HTTP_PLUGIN_FILE);
  }();
  json in = json::parse(reinterpret_cast<const char *>(data),
                        reinterpret_cast<const char *>(data) + size, nullptr, false);
  if (!in.is_object())
    return 0;
  std::string path =
      in.contains("url") && in["url"].is_string() ? in["url"].get<std::string>() : "";
  in["url"] = "http://127.0.0.1:1/" + path;
  in["proxy"] = false;
  in["timeout"] = "300ms";
  in.erase("tls");
  in.erase("cookies");
  if (in.contains("multipart"))
    no_files(in["multipart"]);
  seam_fuzz::check_answer(http->call("request", nullptr, in));
  return 0;
}
