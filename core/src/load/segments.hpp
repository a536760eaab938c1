// How a suite file is parsed before the loader compiles it: TOML checks
// TOML++ itself would crash on, and large files cut into segments that parse
// in parallel. Private to core/src/load.
#pragma once

#include "seam/core/base/diagnostics.hpp"

#include <toml++/toml.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace seam {

// A large suite file is read in segments that start at its [[test]] headers:
// each segment is valid TOML on its own, so the segments are parsed ahead on
// other threads while the loader compiles the previous, and each TOML tree is
// freed as soon as its tests are compiled. A file that could read differently
// in segments (multi-line strings, top-level tables after the first test) is
// read whole.
struct Segment {
  size_t begin = 0, end = 0;
  uint32_t first_line = 0; // lines before the segment
};

// The segments of `text`: one (the whole file) unless it is large and cuts safely.
std::vector<Segment> split_segments(const std::string &text);

// Refuses (SuiteErrors), segment by segment before each is parsed, what TOML++
// mishandles: keys with more dots than any suite needs (it nests a table per
// dot and recurses over them without limit), and table headers whose name
// starts with neither a bare-key character nor a quote (it breaks a
// precondition of its own key parser on them).
void refuse_parser_traps(const SourceFile *file, Segment seg);

// Parses segs[1..] on a few threads ahead of `consume`, which this thread
// calls in order with each parsed tree; at most as many trees as cores wait,
// which bounds the memory of trees in flight. A parse error is rethrown here
// when its segment's turn comes.
void parse_ahead(const std::vector<Segment> &segs, const std::function<toml::table(Segment)> &parse,
                 const std::function<void(size_t, toml::table &)> &consume);

} // namespace seam
