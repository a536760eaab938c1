#include "seam/core/base/regex.hpp"

#include <re2/re2.h>

namespace seam {

std::optional<Regex> Regex::compile(std::string_view pattern, std::string *error) {
  RE2::Options opt;
  opt.set_log_errors(false);
  // Large enough for any pattern a suite writes; RE2 fails cleanly beyond it.
  opt.set_max_mem(64 << 20);
  auto re = std::make_shared<const RE2>(re2::StringPiece(pattern.data(), pattern.size()), opt);
  if (!re->ok()) {
    if (error)
      *error = re->error();
    return std::nullopt;
  }
  return Regex(std::move(re));
}

bool Regex::search(std::string_view text) const {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

const std::string &Regex::pattern() const { return re_->pattern(); }

} // namespace seam
