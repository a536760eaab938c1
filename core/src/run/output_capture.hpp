// A worker's stdout and stderr (fd 1 and 2) are pipes it reads itself: what a
// plugin writes there becomes log lines of the step that wrote it, masked,
// and its latest lines stay where the parent can read them if the worker
// dies. Private to core/src/run.
#pragma once

#include "seam/core/base/secrets.hpp"
#include "seam/core/host/plugin_host.hpp"

#include <atomic>
#include <cstddef>
#include <vector>

namespace seam {

// In the worker: fd 1 and 2 become the write ends of `out` and `err` (pipes
// made by the parent, which keeps the read ends to drain after a crash).
// `tail`/`tail_len` (shared with the parent) keep the latest masked output.
void capture_plugin_output(int out[2], int err[2], const Secrets &secrets, char *tail,
                           size_t tail_size, std::atomic<uint32_t> *tail_len);

// Appends what plugins wrote since the last call as log lines ("stdout: ...",
// "stderr: ..."). Under --jobs, output goes to the step that ends next.
void take_plugin_output(std::vector<LogLine> &logs);

// In the parent, after a worker died: the last lines it wrote (from the
// shared tail and what is still in the pipes), at most `max_lines`.
std::vector<std::string> last_output_lines(const char *tail, uint32_t tail_len, int out_fd,
                                           int err_fd, const Secrets &secrets, size_t max_lines);

} // namespace seam
