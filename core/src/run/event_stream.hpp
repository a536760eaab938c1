// The events of a suite run in a worker process, as frames in a ring shared
// with the parent (event_ring.hpp), which replays them to its reporters. A frame is its length
// (u32), its kind (u8) and its fields; tests are named by their index in the suite, which the
// parent holds too (the worker is its fork). Private to core/src/run.
#pragma once

#include "event_ring.hpp"
#include "seam/core/report/reporter.hpp"

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace seam::stream {

enum class Frame : uint8_t {
  SuiteStarted = 1,
  TestRan,       // u32 test, u8 status
  TestStarted,   // u32 test
  Step,          // StepRecord, but its suite's file (event_stream.cpp)
  TestFinished,  // TestRecord, but its suite's file and name; its index names the test
  SuiteFinished, // u8 status, str message
  Secret,        // str value the worker learned (x-seam-secret input)
  TestRunning,   // u32 test (under --jobs only; see make_stream_reporter)
};

// Frames collected in memory and put in the ring on flush(). The field
// writers are inline and grow one buffer: a step's frame costs a few dozen
// nanoseconds, against the half microsecond of the step itself.
class Writer {
public:
  Writer(EventRing &ring, int wake_fd) : ring_(ring), wake_fd_(wake_fd), buf_(new char[kCap]) {}
  void begin(Frame kind) {
    frame_ = size_;
    put(nullptr, 4); // the length, filled in by end()
    u8(static_cast<uint8_t>(kind));
  }
  void u8(uint8_t v) { put(&v, 1); }
  void u32(uint32_t v) { put(&v, sizeof v); }
  void f64(double v) { put(&v, sizeof v); }
  void str(std::string_view s) {
    u32(static_cast<uint32_t>(s.size()));
    put(s.data(), s.size());
  }
  // A discarded value stays discarded, null stays null: most steps carry no
  // input or output (null) and nothing expected (discarded), a byte says so.
  void js(const json &j) {
    if (j.is_discarded())
      u8(0);
    else if (j.is_null())
      u8(2);
    else
      js_text(j);
  }
  void end() {
    auto len = static_cast<uint32_t>(size_ - frame_ - 4);
    std::memcpy(buf_.get() + frame_, &len, sizeof len);
    if (size_ >= kFlushAt)
      flush();
  }
  // Puts what is buffered in the ring, and wakes the parent if `wake` (see
  // EventRing::put); the worker ends at once if the parent is gone.
  void flush(bool wake = false);
  size_t buffered() const { return size_; }

private:
  static constexpr size_t kFlushAt = 64u << 10, kCap = 2 * kFlushAt;
  void put(const void *p, size_t n) {
    if (n > cap_ - size_)
      grow(n);
    if (p)
      std::memcpy(buf_.get() + size_, p, n);
    size_ += n;
  }
  void grow(size_t n); // a frame larger than the room left
  void js_text(const json &j);
  EventRing &ring_;
  int wake_fd_;
  std::unique_ptr<char[]> buf_;
  size_t size_ = 0, cap_ = kCap;
  size_t frame_ = 0;
};

// Reads the fields of one frame; a short or malformed frame sets !ok().
class Decoder {
public:
  explicit Decoder(std::string_view s) : s_(s) {}
  uint8_t u8() { return get<uint8_t>(); }
  uint32_t u32() { return get<uint32_t>(); }
  double f64() { return get<double>(); }
  std::string str() {
    uint32_t n = u32();
    if (!ok_ || s_.size() < n) {
      ok_ = false;
      return {};
    }
    std::string v(s_.substr(0, n));
    s_.remove_prefix(n);
    return v;
  }
  json js();
  bool ok() const { return ok_; }

private:
  template <class T> T get() {
    T v{};
    if (!ok_ || s_.size() < sizeof v) {
      ok_ = false;
      return v;
    }
    std::memcpy(&v, s_.data(), sizeof v);
    s_.remove_prefix(sizeof v);
    return v;
  }
  std::string_view s_;
  bool ok_ = true;
};

// Splits the bytes taken from the ring into whole frames.
class Reader {
public:
  void append(const char *data, size_t n) { buf_.append(data, n); }
  // The next whole frame, if any.
  bool next(Frame *kind, std::string_view *payload);

private:
  std::string buf_;
  size_t pos_ = 0;
};

void put_step(Writer &w, const StepRecord &r);
StepRecord get_step(Decoder &d);
void put_test(Writer &w, const TestRecord &r);
TestRecord get_test(Decoder &d);

// The reporter a worker runs with: every event becomes a frame. Frames are
// put in the ring when a test or suite ends (and when 64 KiB are buffered),
// so a worker that dies has sent every finished test; which tests are
// running the parent reads from the call slots they share
// (Runner::CallSlot::running), when it wakes. With `announce_starts`
// (--jobs, and a reporter that shows the running tests) a test's start is
// also a frame, and wakes the parent, so that the tests running side by side
// are shown together however short their overlap.
std::unique_ptr<Reporter> make_stream_reporter(Writer &w, bool want_io, bool want_quiet_steps,
                                               bool announce_starts);

} // namespace seam::stream
