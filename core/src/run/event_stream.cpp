// Frames between a worker and its parent (event_stream.hpp).
#include "event_stream.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace seam::stream {

void Writer::js_text(const json &j) {
  u8(1);
  str(j.dump(-1, ' ', false, json::error_handler_t::replace));
}

void Writer::grow(size_t n) {
  size_t cap = std::max(cap_ * 2, size_ + n);
  std::unique_ptr<char[]> bigger(new char[cap]);
  std::memcpy(bigger.get(), buf_.get(), size_);
  buf_ = std::move(bigger);
  cap_ = cap;
}

void Writer::flush() {
  size_t off = 0;
  while (off < size_) {
    ssize_t n = ::write(fd_, buf_.get() + off, size_ - off);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      ::_exit(1); // the parent is gone: nobody is left to report to
    off += static_cast<size_t>(n);
  }
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

void put_step(Writer &w, const StepRecord &r) {
  w.begin(Frame::Step);
  w.str(r.test);
  w.u8(static_cast<uint8_t>(r.phase));
  w.str(r.name);
  w.str(r.use);
  w.str(r.location);
  w.u8(static_cast<uint8_t>(r.status));
  w.str(r.message);
  w.str(r.failed_path);
  w.js(r.expected);
  w.js(r.actual);
  w.js(r.input);
  w.js(r.output);
  w.f64(r.start_ms);
  w.f64(r.duration_ms);
  w.u32(static_cast<uint32_t>(r.attempts));
  w.u32(static_cast<uint32_t>(r.logs.size()));
  for (const auto &l : r.logs) {
    w.u8(static_cast<uint8_t>(l.level));
    w.str(l.text);
  }
  w.end();
}

StepRecord get_step(Decoder &d) {
  StepRecord r;
  r.test = d.str();
  r.phase = static_cast<Phase>(d.u8());
  r.name = d.str();
  r.use = d.str();
  r.location = d.str();
  r.status = static_cast<Status>(d.u8());
  r.message = d.str();
  r.failed_path = d.str();
  r.expected = d.js();
  r.actual = d.js();
  r.input = d.js();
  r.output = d.js();
  r.start_ms = d.f64();
  r.duration_ms = d.f64();
  r.attempts = static_cast<int>(d.u32());
  uint32_t logs = d.u32();
  for (uint32_t i = 0; i < logs && d.ok(); ++i) {
    auto level = static_cast<seam_log_level>(d.u8());
    r.logs.push_back({level, d.str()});
  }
  return r;
}

void put_test(Writer &w, const TestRecord &r) {
  w.str(r.suite_file);
  w.str(r.suite_name);
  w.str(r.name);
  w.str(r.id);
  w.str(r.location);
  w.u32(r.index);
  w.u32(static_cast<uint32_t>(r.tags.size()));
  for (const auto &t : r.tags)
    w.str(t);
  w.u8(static_cast<uint8_t>(r.status));
  w.str(r.message);
  w.f64(r.start_ms);
  w.f64(r.duration_ms);
}

TestRecord get_test(Decoder &d) {
  TestRecord r;
  r.suite_file = d.str();
  r.suite_name = d.str();
  r.name = d.str();
  r.id = d.str();
  r.location = d.str();
  r.index = d.u32();
  uint32_t tags = d.u32();
  for (uint32_t i = 0; i < tags && d.ok(); ++i)
    r.tags.push_back(d.str());
  r.status = static_cast<Status>(d.u8());
  r.message = d.str();
  r.start_ms = d.f64();
  r.duration_ms = d.f64();
  return r;
}

namespace {

uint32_t index_of(const Suite &s, const TestDef &t) {
  return static_cast<uint32_t>(&t - s.tests.data());
}

class StreamReporter : public Reporter {
public:
  StreamReporter(Writer &w, bool want_io) : w_(w), want_io_(want_io) {}
  bool wants_step_io() const override { return want_io_; }
  void suite_started(const Suite &) override {
    w_.begin(Frame::SuiteStarted);
    w_.end();
    w_.flush();
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
    w_.flush();
  }
  void suite_finished(const SuiteRecord &r) override {
    w_.begin(Frame::SuiteFinished);
    w_.u8(static_cast<uint8_t>(r.status));
    w_.str(r.message);
    w_.end();
    w_.flush();
  }

private:
  Writer &w_;
  bool want_io_;
};

} // namespace

std::unique_ptr<Reporter> make_stream_reporter(Writer &w, bool want_io) {
  return std::make_unique<StreamReporter>(w, want_io);
}

} // namespace seam::stream
