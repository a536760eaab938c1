#include "load_guard.hpp"

#include <dlfcn.h>
#include <execinfo.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace seam {

namespace {

std::atomic<bool> g_active{false};

void say(const char *text) {
  ssize_t ignored = ::write(2, text, std::strlen(text));
  (void)ignored;
}

// The plugin library on the calling thread's stack (the innermost one), or
// nullptr. backtrace() was called once before, so it does not allocate now.
const char *plugin_on_stack() {
  void *frames[64];
  int n = ::backtrace(frames, 64);
  for (int i = 0; i < n; ++i) {
    Dl_info info;
    if (::dladdr(frames[i], &info) == 0 || !info.dli_fname)
      continue;
    const char *base = std::strrchr(info.dli_fname, '/');
    base = base ? base + 1 : info.dli_fname;
    size_t len = std::strlen(base);
    if (std::strncmp(base, "seam-", 5) == 0 && len > 3 && std::strcmp(base + len - 3, ".so") == 0)
      return info.dli_fname;
  }
  return nullptr;
}

void report(const char *what) {
  const char *plugin = plugin_on_stack();
  say("error: ");
  say(plugin ? "plugin " : "a plugin");
  if (plugin)
    say(plugin);
  say(" ");
  say(what);
  say(" while it was loaded; nothing was run\n");
}

extern "C" void on_load_crash(int sig) {
  if (g_active.load()) {
    char what[96] = "crashed (signal ";
    char num[8];
    int k = 0;
    for (int v = sig; v > 0 && k < 7; v /= 10)
      num[k++] = static_cast<char>('0' + v % 10);
    size_t at = std::strlen(what);
    while (k > 0)
      what[at++] = num[--k];
    what[at] = '\0';
    std::strcat(what, ", SIG");
    if (const char *abbrev = ::sigabbrev_np(sig))
      std::strncat(what, abbrev, 16);
    std::strcat(what, ")");
    report(what);
    ::_exit(3);
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

extern "C" void on_load_exit(int status, void *) {
  if (!g_active.load())
    return;
  report(status == 0 ? "called exit(0)" : "called exit() with a non-zero status");
  ::_exit(3);
}

} // namespace

void begin_load_guard() {
  void *warm[4];
  ::backtrace(warm, 4); // loads what backtrace needs now, not in a handler
  struct sigaction sa {};
  sa.sa_handler = on_load_crash;
  sa.sa_flags = SA_RESETHAND | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT})
    ::sigaction(sig, &sa, nullptr);
  ::on_exit(on_load_exit, nullptr);
  g_active.store(true);
}

void end_load_guard() {
  if (!g_active.exchange(false))
    return;
  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT})
    ::signal(sig, SIG_DFL);
}

} // namespace seam
