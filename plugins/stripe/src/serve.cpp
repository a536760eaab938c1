// serve.cpp - see serve.hpp.
#include "serve.hpp"

#include <seam/plugin.hpp>

#include <httplib.h>

#include <pthread.h>
#include <signal.h>

#include <chrono>

namespace seam_stripe {

int bind_server(httplib::Server &server, const std::string &host, int port,
                const std::string &where) {
  if (port == 0) {
    port = server.bind_to_any_port(host);
    if (port < 0)
      throw seam::error(where + ": cannot listen on " + host);
  } else if (!server.bind_to_port(host, port)) {
    throw seam::error(where + ".port: cannot listen on " + host + ":" + std::to_string(port) +
                      " (in use?); hint: port = 0 picks a free one");
  }
  return port;
}

std::thread serve(httplib::Server &server) {
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, &old); // inherited by the new thread
  std::thread thread([&server] { server.listen_after_bind(); });
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!server.is_running() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return thread;
}

} // namespace seam_stripe
