// `seam run` and `seam check`: the suites named on the command line, loaded
// and checked against the plugins; `run` then executes them with the
// reporters the options ask for and maps the outcome to an exit code.
#pragma once

#include "command_line.hpp"

#include <atomic>

namespace seam {
class PluginHost;
class Secrets;
struct Interrupts;
} // namespace seam

namespace seam::cli {

int check_command(const Cli &cli, PluginHost &host, bool color);

// `loading` is true while suites load (main.cpp's signal handlers then end
// seam at once); run_command clears it when the run starts. `interrupts`:
// what those handlers set once it has.
int run_command(const Cli &cli, PluginHost &host, Secrets &secrets, bool color,
                Interrupts &interrupts, std::atomic<bool> &loading);

} // namespace seam::cli
