// plugin_host.hpp - the http tests' fixture over the SDK's stand-in host
// (seam/testing.hpp): loads seam-http.so through its C ABI, runs steps,
// opens resources, and records what the plugin reports (output, error,
// secrets). Its `match` is the real host's (seam's expect language, from
// seam_core), since routes and mock_calls use operators such as { gt = 1 }.
#pragma once

#include <seam/testing.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace seam_test {

using json = nlohmann::json;

// What one call produced.
struct call_result {
  bool ok = false;
  json output;       // the output object (null on error)
  std::string error; // the error message (empty on success)
  std::vector<std::string> secrets;
  std::vector<std::string> logs;
};

class plugin_host {
public:
  // Loads the library at path (dlopen; never unloaded) and calls init.
  explicit plugin_host(const std::string &path);

  const seam_plugin &plugin() const { return host_.plugin(); }
  const seam_step *find_step(const std::string &name) const;

  // Runs PLUGIN.step with `input`; `resource` from open(); deadline_ms < 0:
  // none; test_id is what ctx.test_id() answers ("" as in setup), jobs what
  // ctx.jobs() answers.
  call_result run(const std::string &step, const json &input, void *resource = nullptr,
                  long deadline_ms = -1, const std::string &test_id = "", unsigned jobs = 1);

  // Opens a resource of the plugin's type; nullopt handle when it fails.
  call_result open(const std::string &name, const json &config, void **handle);
  void close(void *handle);

private:
  call_result convert(seam::testing::result r, size_t secrets_before) const;
  seam::testing::host host_;
};

// The plugin under test: $SEAM_HTTP_PLUGIN or the path CMake compiled in.
std::string plugin_path();

// That plugin, loaded once for the whole test program.
plugin_host &plugin();

// Connection facts of the test nginx (tools/nginx), KEY -> value, read from
// $SEAM_TEST_NGINX_ENV; starts a private nginx when that is not set.
const std::map<std::string, std::string> &nginx();

} // namespace seam_test
