// serve.cpp - see serve.hpp.
#include "serve.hpp"

#include <httplib.h>

#include <pthread.h>
#include <signal.h>

#include <chrono>

namespace seam_stripe {

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
