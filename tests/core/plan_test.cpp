// SuitePlan::keep_text: the constant inputs' texts a plan keeps, packed in
// blocks, each intact for as long as the plan lives.
#include "seam/core/check/plan.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace seam {
namespace {

TEST(SuitePlanText, KeepsEveryTextIntactAcrossBlocks) {
  SuitePlan plan;
  std::vector<std::string> texts;
  std::vector<std::string_view> kept;
  // Sizes that fill blocks unevenly, and some beyond a block's quarter.
  for (size_t i = 0; i < 5000; ++i) {
    size_t size = i % 97 == 0 ? 20000 + i : 1 + (i * 37) % 300;
    texts.push_back(std::string(size, static_cast<char>('a' + i % 26)) + std::to_string(i));
    kept.push_back(plan.keep_text(texts.back()));
  }
  for (size_t i = 0; i < texts.size(); ++i) {
    ASSERT_EQ(kept[i], texts[i]) << "text " << i;
    EXPECT_NE(kept[i].data(), texts[i].data()); // a copy, not the caller's
  }
}

TEST(SuitePlanText, PacksSmallTextsOneAfterAnother) {
  SuitePlan plan;
  std::string_view a = plan.keep_text(R"({"sql":"SELECT 1"})");
  std::string_view b = plan.keep_text(R"({"sql":"SELECT 2"})");
  EXPECT_EQ(a.data() + a.size(), b.data());
}

TEST(SuitePlanText, AnEmptyTextIsAnEmptyView) {
  SuitePlan plan;
  EXPECT_TRUE(plan.keep_text("").empty());
}

} // namespace
} // namespace seam
