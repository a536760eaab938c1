// Tests back in the suite's order (in_order.hpp).
#include "in_order.hpp"

namespace seam {

InOrder::InOrder(const Suite &s, std::vector<char> chosen, const std::vector<Reporter *> &reporters,
                 std::function<void(TestRecord &)> finish)
    : suite_(s), chosen_(std::move(chosen)), reporters_(reporters), finish_(std::move(finish)),
      held_(s.tests.size()) {}

void InOrder::test_started(size_t i) {
  current_ = static_cast<long>(i);
  held_[i].has_started = true;
  advance();
}

void InOrder::step(StepRecord rec) {
  if (current_ < 0) {
    for (auto *r : reporters_)
      r->step_finished(rec);
    return;
  }
  held_[static_cast<size_t>(current_)].steps.push_back(std::move(rec));
  advance();
}

void InOrder::test_finished(size_t i, TestRecord rec) {
  current_ = -1;
  held_[i].record = std::move(rec);
  advance();
}

void InOrder::verdict(size_t i, std::optional<StepRecord> step, TestRecord rec) {
  if (step) {
    if (!started(i))
      held_[i].has_started = true;
    held_[i].steps.push_back(std::move(*step));
  }
  held_[i].record = std::move(rec);
  advance();
}

void InOrder::forget(size_t i) {
  held_[i].has_started = false;
  held_[i].steps.clear();
  held_[i].record.reset();
}

void InOrder::advance() {
  while (next_ < held_.size()) {
    if (!chosen_[next_]) {
      ++next_;
      continue;
    }
    Held &h = held_[next_];
    const TestDef &t = suite_.tests[next_];
    if (h.has_started && !h.started_sent) {
      for (auto *r : reporters_)
        r->test_started(suite_, t);
      h.started_sent = true;
    }
    h.has_started = false;
    for (const auto &rec : h.steps)
      for (auto *r : reporters_)
        r->step_finished(rec);
    h.steps.clear();
    if (!h.record)
      return;
    finish_(*h.record);
    h.record.reset();
    ++next_;
  }
}

} // namespace seam
