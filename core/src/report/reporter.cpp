#include "seam/core/report/reporter.hpp"

namespace seam {

std::string_view status_name(Status s) {
  switch (s) {
  case Status::Passed:
    return "passed";
  case Status::Failed:
    return "failed";
  case Status::Skipped:
    return "skipped";
  }
  return "";
}

} // namespace seam
