// The events of a suite run in a worker process, as frames on a pipe to the
// parent, which replays them to its reporters. A frame is its length (u32),
// its kind (u8) and its fields; tests are named by their index in the suite,
// which the parent holds too (the worker is its fork). Private to core/src/run.
#pragma once

#include "seam/core/report/reporter.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace seam::stream {

enum class Frame : uint8_t {
  SuiteStarted = 1,
  TestRunning,   // u32 test
  TestRan,       // u32 test, u8 status
  TestStarted,   // u32 test
  Step,          // StepRecord
  TestFinished,  // TestRecord (its location names the test)
  SuiteFinished, // u8 status, str message
  Secret,        // str value the worker learned (x-seam-secret input)
};

// Frames collected in memory and written to `fd` on flush().
class Writer {
public:
  explicit Writer(int fd) : fd_(fd) {}
  void begin(Frame kind);
  void u8(uint8_t v) { buf_.push_back(static_cast<char>(v)); }
  void u32(uint32_t v);
  void f64(double v);
  void str(std::string_view s);
  void js(const json &j); // a discarded value stays discarded, null stays null
  void end();
  // Writes what is buffered; the worker ends at once if the parent is gone.
  void flush();
  size_t buffered() const { return buf_.size(); }

private:
  int fd_;
  std::string buf_;
  size_t frame_ = 0;
};

// Reads the fields of one frame; a short or malformed frame sets !ok().
class Decoder {
public:
  explicit Decoder(std::string_view s) : s_(s) {}
  uint8_t u8();
  uint32_t u32();
  double f64();
  std::string str();
  json js();
  bool ok() const { return ok_; }

private:
  bool take(void *out, size_t n);
  std::string_view s_;
  bool ok_ = true;
};

// Splits the bytes read from the pipe into whole frames.
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
// flushed at the edges of tests and suites (and when much is buffered), so a
// worker that dies has sent every finished test.
std::unique_ptr<Reporter> make_stream_reporter(Writer &w, bool want_io);

} // namespace seam::stream
