// node_reference.cpp - see node_reference.hpp.
#include "node_reference.hpp"

#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <poll.h>
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

node_server::node_server(const std::string &script) {
  int in[2], out[2];
  if (pipe(in) != 0 || pipe(out) != 0)
    throw std::runtime_error("pipe failed");
  std::string modules = npm_dir() + "/node_modules";
  std::string path = std::string(SEAM_STRIPE_TEST_DIR) + "/node/" + script;
  pid_ = fork();
  if (pid_ == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[1]);
    close(out[0]);
    setenv("NODE_PATH", modules.c_str(), 1);
    execlp("node", "node", path.c_str(), static_cast<char *>(nullptr));
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  stdin_ = in[1];
  // The port comes on the first line; wait for it with a deadline.
  std::string line;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{out[0], POLLIN, 0};
    if (poll(&p, 1, 100) > 0) {
      char buf[64];
      ssize_t n = read(out[0], buf, sizeof buf);
      if (n <= 0)
        break;
      line.append(buf, static_cast<size_t>(n));
    }
  }
  close(out[0]);
  port_ = std::atoi(line.c_str());
  if (port_ <= 0) {
    this->~node_server();
    throw std::runtime_error(script + " did not print its port: \"" + line + "\"");
  }
}

node_server::~node_server() {
  if (stdin_ >= 0)
    close(stdin_);
  stdin_ = -1;
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  pid_ = -1;
}

} // namespace stripe_test
