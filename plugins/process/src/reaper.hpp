// reaper.hpp - the guardian that kills seam's process groups when seam dies.
//
// Resources close their processes themselves; this covers the ends where no
// code of seam runs any more: SIGKILL, the watchdog's _Exit, a crash. On first
// use the plugin forks one small reaper process, in a session of its own, that
// holds one end of a socket pair. seam tells it which process groups it owns;
// when the socket reaches end-of-file (seam is gone, however it ended) the
// reaper sends SIGTERM to every group still registered, then SIGKILL after
// that group's grace, and exits. PR_SET_PDEATHSIG would not do: it fires when
// the forking thread ends, and steps run on threads that end.
#pragma once

#include <sys/types.h>

namespace seam_process {

// Registers a process group (before its leader may exec: see spawn.cpp).
// Starts the reaper on first use; throws seam::error if it cannot.
void reaper_watch(pid_t pgid, int grace_ms);

// The group is gone (its leader reaped after the rest was killed).
void reaper_forget(pid_t pgid);

// The reaper's pid (0 before first use), for tests.
pid_t reaper_pid();

} // namespace seam_process
