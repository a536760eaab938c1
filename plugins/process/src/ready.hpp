// ready.hpp - waiting until a started service is ready: its port accepts
// connections, a URL answers, its log shows a line, or a command succeeds.
#pragma once

#include "config.hpp"
#include "service.hpp"

#include <seam/plugin.hpp>

namespace seam_process {

// Waits until every check holds, in order; each must hold within its timeout
// of the service's start, and before the call's deadline. Throws seam::error
// saying which check failed and why, with the service's exit status when it
// ended, and the last lines of its output.
void wait_ready(service &svc, const std::vector<ready_check> &checks, seam::context &ctx);

// "\nlast output lines:\n  | ..." (or a note that it printed nothing).
std::string output_tail(service &svc);

} // namespace seam_process
