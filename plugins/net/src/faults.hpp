// faults.hpp - what net.fault asks for, and the faults in force once every
// request still standing is combined (later requests override earlier ones,
// kind by kind and direction by direction).
#pragma once

#include <seam/plugin.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace seam_net {

using micros = std::chrono::microseconds;

// Data from the service to its dependency goes "up", the answers "down".
enum direction : int { up = 0, down = 1 };

// The shaping of one direction.
struct shaping {
  micros latency{0}, jitter{0};
  uint64_t bandwidth = 0;              // bytes per second; 0: unlimited
  std::optional<uint64_t> reset_after; // reset once this many bytes passed
  bool blackhole = false;              // swallow everything, answer nothing
  uint64_t slice_size = 0;             // 0: no slicing
  micros slice_delay{0};
  // No fault at all: data passes as it comes.
  bool clean() const {
    return latency.count() == 0 && jitter.count() == 0 && bandwidth == 0 && !reset_after &&
           !blackhole && slice_size == 0;
  }
};

// The faults in force.
struct fault_state {
  std::array<shaping, 2> dir{};
  bool down = false; // refuse new connections, close existing ones
  bool any() const;
  seam::json to_json() const;
};

// One validated net.fault call.
struct fault_request {
  seam::json fields;          // the fault kinds given, validated
  std::array<bool, 2> dirs{}; // which directions they apply to
  bool persist = false;       // outlives the test that set it
  std::string test_id;        // empty: set outside a test (setup)
};

// Validates net.fault's input; throws seam::error naming the bad key.
fault_request parse_fault(const seam::json &input, std::string test_id);

// Every request, in order, applied to a clean state.
fault_state combine(const std::vector<fault_request> &requests);

// net.fault's input schema.
const char *fault_schema();

} // namespace seam_net
