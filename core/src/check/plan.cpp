#include "seam/core/check/plan.hpp"

#include <cstring>

namespace seam {

std::string_view SuitePlan::keep_text(std::string_view text) {
  if (text.empty())
    return {};
  if (text.size() > kTextBlock / 4) { // a large text has a block of its own
    text_blocks_.push_back(std::make_unique_for_overwrite<char[]>(text.size()));
    std::memcpy(text_blocks_.back().get(), text.data(), text.size());
    return {text_blocks_.back().get(), text.size()};
  }
  if (text.size() > text_left_) {
    text_blocks_.push_back(std::make_unique_for_overwrite<char[]>(kTextBlock));
    text_at_ = text_blocks_.back().get();
    text_left_ = kTextBlock;
  }
  std::memcpy(text_at_, text.data(), text.size());
  std::string_view kept(text_at_, text.size());
  text_at_ += text.size();
  text_left_ -= text.size();
  return kept;
}

} // namespace seam
