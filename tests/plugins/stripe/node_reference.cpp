// node_reference.cpp - see node_reference.hpp.
#include "node_reference.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace stripe_test {

std::string npm_dir() {
  const char *dir = std::getenv("SEAM_STRIPE_NPM_DIR");
  if (dir == nullptr || *dir == '\0')
    throw std::runtime_error("SEAM_STRIPE_NPM_DIR is not set (ctest sets it)");
  return dir;
}

std::optional<std::string> npm_unavailable() {
  std::ifstream marker(npm_dir() + "/npm-unreachable");
  if (!marker)
    return std::nullopt;
  std::stringstream text;
  text << marker.rdbuf();
  return "skipped, npm packages unavailable: " + text.str();
}

std::string run_command(const std::string &command) {
  FILE *pipe = popen(command.c_str(), "r");
  if (pipe == nullptr)
    throw std::runtime_error("cannot run " + command);
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0)
    out.append(buf.data(), n);
  int status = pclose(pipe);
  if (status != 0)
    throw std::runtime_error(command + " failed (status " + std::to_string(status) + "): " + out);
  return out;
}

json node_reference(const json &request) {
  char path[] = "/tmp/seam-stripe-ref.XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0)
    throw std::runtime_error("mkstemp failed");
  std::string text = request.dump();
  if (write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    close(fd);
    throw std::runtime_error("cannot write the node request");
  }
  close(fd);
  std::string command = "NODE_PATH='" + npm_dir() +
                        "/node_modules' node '" SEAM_STRIPE_TEST_DIR "/node/reference.js' < '" +
                        std::string(path) + "' 2>&1";
  std::string out;
  try {
    out = run_command(command);
  } catch (...) {
    unlink(path);
    throw;
  }
  unlink(path);
  return json::parse(out);
}

} // namespace stripe_test
