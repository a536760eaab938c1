// The reporters seam ships: console, JUnit XML, JSON, TAP and HTML.
#pragma once

#include "seam/core/report/reporter.hpp"

#include <cstdio>
#include <memory>
#include <string>

namespace seam {

struct ConsoleOptions {
  bool color = false;    // ANSI colours (a TTY without NO_COLOR)
  bool verbose = false;  // every step, with its logs
  bool progress = false; // a live status line below the output (a terminal)
};

std::unique_ptr<Reporter> make_console_reporter(std::FILE *out, ConsoleOptions opt);
std::unique_ptr<Reporter> make_junit_reporter(std::string path);
std::unique_ptr<Reporter> make_json_reporter(std::string path);
std::unique_ptr<Reporter> make_tap_reporter(std::string path);
std::unique_ptr<Reporter> make_html_reporter(std::string path);

// Writes a file atomically (temporary file in the same directory, fsync,
// rename), creating missing parent directories. false + *error on failure.
bool write_file_atomic(const std::string &path, const std::string &content, std::string *error);

} // namespace seam
