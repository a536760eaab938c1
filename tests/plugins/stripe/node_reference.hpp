// node_reference.hpp - runs the official stripe SDK (node/reference.js) to get
// reference answers: how it form-encodes, signs and verifies. Tests skip when
// tests could not install the npm packages because the registry is unreachable.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace stripe_test {

using json = nlohmann::json;

// Why the reference packages are missing (npm-unreachable written by
// npm_setup.sh), or nullopt when they are installed.
std::optional<std::string> npm_unavailable();

// Sends request to node/reference.js, returns its JSON answer. Throws on failure.
json node_reference(const json &request);

// Where the packages are: $SEAM_STRIPE_NPM_DIR (the directory that holds
// node_modules), set by CTest.
std::string npm_dir();

// Runs a shell command, returns its stdout; throws with the command and its
// exit status when it fails.
std::string run_command(const std::string &command);

// A node script that serves on loopback (node/stateful_mock.js): started with
// the reference packages, its port read from its first line of output;
// stopped (stdin closed, then SIGTERM) and reaped when destroyed.
class node_server {
public:
  explicit node_server(const std::string &script);
  ~node_server();
  node_server(const node_server &) = delete;
  node_server &operator=(const node_server &) = delete;
  int port() const { return port_; }

private:
  int pid_ = -1;
  int stdin_ = -1;
  int port_ = 0;
};

} // namespace stripe_test

#define STRIPE_REQUIRE_NPM()                                                                       \
  do {                                                                                             \
    if (auto why = stripe_test::npm_unavailable())                                                 \
      GTEST_SKIP() << *why;                                                                        \
  } while (0)
