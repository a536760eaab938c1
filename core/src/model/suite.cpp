#include "seam/core/model/suite.hpp"

namespace seam {

std::string_view phase_name(Phase p) {
  switch (p) {
  case Phase::Setup:
    return "setup";
  case Phase::Test:
    return "test";
  case Phase::Cleanup:
    return "cleanup";
  case Phase::Teardown:
    return "teardown";
  }
  return "";
}

size_t Suite::step_count() const {
  size_t n = setup.size() + teardown.size();
  for (const auto &t : tests)
    n += t.steps.size() + t.cleanup.size();
  return n;
}

} // namespace seam
