// A step's output text read by the core: whole, only as far as the step's
// expectations and saves reach, or only checked to be JSON. An output is
// parsed into a tree only as far as they reach: a consume of ten thousand
// messages whose expectations read two of them, or an HTTP answer whose
// expectations read its status and one field, does not become a whole tree.
//
// simdjson reads the text first (an order of magnitude faster than
// nlohmann's lexer); text it refuses is read again by nlohmann, whose
// verdict and values count, so that every function here answers what
// json::parse and json::accept answer (simdjson refuses integers beyond 64
// bits, which nlohmann reads as doubles, and nesting deeper than 1,024).
#pragma once

#include "seam/core/base/json_path.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace seam {

class json_source; // seam/json_read.hpp

class OutputProjection {
public:
  // The projection of `paths`; nullptr when one of them reads the whole
  // output (the empty path) or there are none: then the output is parsed
  // whole.
  static std::unique_ptr<OutputProjection> of(const std::vector<const JsonPath *> &paths);

  // `text` parsed as JSON, keeping the values on and under the paths: the
  // objects on the way hold only the keys the paths name; the arrays on the
  // way keep their length, with null in place of the elements no path names.
  // An array that a path indexes from its end ([-1]) is kept whole. Every
  // path finds in the result what it finds in the whole parse, with the
  // same value. Text that simdjson refuses (above) is parsed whole. A
  // discarded json when `text` is not JSON. A std::string with room past
  // its text is read in place (json_source).
  json parse(const json_source &text) const;

  struct Node {
    bool whole = false; // everything under this value
    std::map<std::string, Node, std::less<>> keys;
    std::map<long, Node> indices;
  };

private:
  Node root_;
};

} // namespace seam
