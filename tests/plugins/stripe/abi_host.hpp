// abi_host.hpp - a stand-in for seam's host, enough to drive seam-stripe.so
// through its C ABI in tests: resource kinds (ABI 1.2 resource_types), steps,
// secrets and the real host's matcher (seam_core).
#pragma once

#include <seam/plugin.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace stripe_test {

using json = nlohmann::json;

struct abi_result {
  bool ok = false;
  json output;
  std::string error;
  std::vector<std::string> secrets, logs;
};

class abi_host {
public:
  explicit abi_host(const std::string &library);
  const seam_plugin &plugin() const { return *plugin_; }
  const seam_step *step(const std::string &name) const;
  const seam_resource_type *kind(const std::string &kind) const;

  abi_result run(const std::string &step, const json &input, void *resource = nullptr,
                 long deadline_ms = 30000);
  abi_result open(const std::string &kind, const std::string &name, const json &config,
                  void **handle);
  void close(const std::string &kind, void *handle);

private:
  const seam_plugin *plugin_ = nullptr;
  void *state_ = nullptr;
};

} // namespace stripe_test
