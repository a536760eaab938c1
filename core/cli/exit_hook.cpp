// A plugin that calls _exit() in a worker: seam's own _exit (exported from
// the executable, so it comes before libc's for the plugins' calls) first
// marks the calling thread's plugin call as the one the worker ended in, so
// that under --jobs the parent fails that test and not the ones beside it
// (docs/workers.md). exit() is seen through on_exit, signals by handlers.
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>

namespace seam {
extern thread_local std::atomic<int32_t> *tl_crash_flag; // core/src/run/run_state.hpp
}

// No [[noreturn]] here: <unistd.h> declares _exit noreturn already, and clang
// refuses the attribute on any declaration but the first.
extern "C" void _exit(int status) {
  if (seam::tl_crash_flag)
    seam::tl_crash_flag->store(2);
  for (;;)
    ::syscall(SYS_exit_group, status);
}
