// Frames between a worker and its parent (event_stream.hpp).
#include "event_stream.hpp"

#include <seam/json_write.hpp>

#include <algorithm>
#include <cstring>
#include <type_traits>

namespace seam::stream {

void Writer::js_text(const json &j) {
  u8(1);
  str(write_json(j));
}

void Writer::grow(size_t n) {
  size_t cap = std::max(cap_ * 2, size_ + n);
  std::unique_ptr<char[]> bigger(new char[cap]);
  std::memcpy(bigger.get(), buf_.get(), size_);
  buf_ = std::move(bigger);
  cap_ = cap;
}

void Writer::flush(bool wake) {
  ring_.put(buf_.get(), size_, wake, wake_fd_);
  size_ = 0;
}

json Decoder::js() {
  switch (u8()) {
  case 0:
    return json(json::value_t::discarded);
  case 2:
    return json();
  default:
    return json::parse(str(), nullptr, false);
  }
}

bool Reader::next(Frame *kind, std::string_view *payload) {
  // The previous payload is done with: drop what was read.
  if (pos_ > (1u << 20) || pos_ == buf_.size()) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  if (buf_.size() - pos_ < 5)
    return false;
  uint32_t len = 0;
  std::memcpy(&len, buf_.data() + pos_, sizeof len);
  if (len == 0 || buf_.size() - pos_ - 4 < len)
    return false;
  *kind = static_cast<Frame>(buf_[pos_ + 4]);
  *payload = std::string_view(buf_).substr(pos_ + 5, len - 1);
  pos_ += 4 + len;
  return true;
}

namespace {

// The fields of each record in their order on the wire, one list for both
// sides: `io` writes them (Put) or reads them back (Get). The suite's file
// and name are not sent: the parent holds the suite.
template <class Step, class Io> void step_fields(Step &r, Io &&io) {
  io(r.test), io(r.phase), io(r.name), io(r.use), io(r.location), io(r.status);
  io(r.message), io(r.failed_path), io(r.expected), io(r.actual), io(r.input), io(r.output);
  io(r.start_ms), io(r.duration_ms), io(r.attempts), io(r.logs);
}

template <class Test, class Io> void test_fields(Test &r, Io &&io) {
  io(r.name), io(r.id), io(r.location), io(r.index), io(r.tags), io(r.status), io(r.message);
  io(r.start_ms), io(r.duration_ms);
}

struct Put {
  Writer &w;
  void operator()(const std::string &s) { w.str(s); }
  void operator()(const json &j) { w.js(j); }
  void operator()(double v) { w.f64(v); }
  void operator()(int v) { w.u32(static_cast<uint32_t>(v)); }
  void operator()(uint32_t v) { w.u32(v); }
  template <class E>
  requires std::is_enum_v<E>
  void operator()(E e) { w.u8(static_cast<uint8_t>(e)); }
  void operator()(const LogLine &l) { (*this)(l.level), (*this)(l.text); }
  template <class T> void operator()(const std::vector<T> &v) {
    w.u32(static_cast<uint32_t>(v.size()));
    for (const T &e : v)
      (*this)(e);
  }
};

struct Get {
  Decoder &d;
  void operator()(std::string &s) { s = d.str(); }
  void operator()(json &j) { j = d.js(); }
  void operator()(double &v) { v = d.f64(); }
  void operator()(int &v) { v = static_cast<int>(d.u32()); }
  void operator()(uint32_t &v) { v = d.u32(); }
  template <class E>
  requires std::is_enum_v<E>
  void operator()(E &e) { e = static_cast<E>(d.u8()); }
  void operator()(LogLine &l) { (*this)(l.level), (*this)(l.text); }
  template <class T> void operator()(std::vector<T> &v) {
    uint32_t n = d.u32();
    for (uint32_t i = 0; i < n && d.ok(); ++i)
      (*this)(v.emplace_back());
  }
};

} // namespace

void put_step(Writer &w, const StepRecord &r) {
  w.begin(Frame::Step);
  step_fields(r, Put{w});
  w.end();
}

StepRecord get_step(Decoder &d) {
  StepRecord r;
  step_fields(r, Get{d});
  return r;
}

void put_test(Writer &w, const TestRecord &r) { test_fields(r, Put{w}); }

TestRecord get_test(Decoder &d) {
  TestRecord r;
  test_fields(r, Get{d});
  return r;
}

namespace {

uint32_t index_of(const Suite &s, const TestDef &t) {
  return static_cast<uint32_t>(&t - s.tests.data());
}

class StreamReporter : public Reporter {
public:
  StreamReporter(Writer &w, bool want_io, bool want_quiet_steps, bool announce_starts)
      : w_(w), want_io_(want_io), want_quiet_steps_(want_quiet_steps),
        announce_starts_(announce_starts) {}
  bool wants_step_io() const override { return want_io_; }
  bool wants_quiet_steps() const override { return want_quiet_steps_; }
  void suite_started(const Suite &) override {
    w_.begin(Frame::SuiteStarted);
    w_.end();
    w_.flush();
  }
  void test_running(const Suite &s, const TestDef &t) override {
    if (!announce_starts_)
      return;
    w_.begin(Frame::TestRunning);
    w_.u32(index_of(s, t));
    w_.end();
    w_.flush(true);
  }
  void test_ran(const Suite &s, const TestDef &t, Status status) override {
    w_.begin(Frame::TestRan);
    w_.u32(index_of(s, t));
    w_.u8(static_cast<uint8_t>(status));
    w_.end();
  }
  void test_started(const Suite &s, const TestDef &t) override {
    w_.begin(Frame::TestStarted);
    w_.u32(index_of(s, t));
    w_.end();
  }
  void step_finished(const StepRecord &r) override { put_step(w_, r); }
  void test_finished(const TestRecord &r) override {
    w_.begin(Frame::TestFinished);
    put_test(w_, r);
    w_.end();
    w_.flush(r.status == Status::Failed); // --fail-fast acts on it at once
  }
  void suite_finished(const SuiteRecord &r) override {
    w_.begin(Frame::SuiteFinished);
    w_.u8(static_cast<uint8_t>(r.status));
    w_.str(r.message);
    w_.end();
    w_.flush(true);
  }

private:
  Writer &w_;
  bool want_io_, want_quiet_steps_, announce_starts_;
};

} // namespace

std::unique_ptr<Reporter> make_stream_reporter(Writer &w, bool want_io, bool want_quiet_steps,
                                               bool announce_starts) {
  return std::make_unique<StreamReporter>(w, want_io, want_quiet_steps, announce_starts);
}

} // namespace seam::stream
