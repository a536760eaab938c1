// Regular expressions of suites (`matches`, schema `pattern`, --filter), on
// RE2: matching takes time linear in the text and constant stack, so a
// pattern like ^(a+)+$ or a megabyte of plugin output can neither hang nor
// crash a run. The syntax is RE2's (close to ECMAScript and PCRE, without
// backreferences and lookaround; see docs/suite-reference.md).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace seam {

class Regex {
public:
  // nullopt and *error set when the pattern does not compile.
  static std::optional<Regex> compile(std::string_view pattern, std::string *error);

  // True when the pattern matches anywhere in `text` (search, not full match).
  bool search(std::string_view text) const;
  const std::string &pattern() const;

private:
  explicit Regex(std::shared_ptr<const re2::RE2> re) : re_(std::move(re)) {}
  std::shared_ptr<const re2::RE2> re_;
};

} // namespace seam
