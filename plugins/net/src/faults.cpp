// faults.cpp - validation of net.fault requests and their combination.
#include "faults.hpp"

#include <algorithm>

namespace seam_net {

using seam::json;

namespace {

micros duration_of(const json &in, const char *key) {
  const json &v = in.at(key);
  std::optional<micros> d;
  if (v.is_string())
    d = seam::parse_duration(v.get<std::string>());
  if (!d)
    throw seam::error(std::string("net.fault: `") + key + "` " + v.dump() +
                      " is not a duration; write a positive one such as \"200ms\" or \"1.5s\"");
  return *d;
}

uint64_t count_of(const json &v, const std::string &key, uint64_t min) {
  if (!v.is_number_integer() || v.get<int64_t>() < static_cast<int64_t>(min))
    throw seam::error("net.fault: `" + key + "` " + v.dump() +
                      " must be an integer >= " + std::to_string(min));
  return v.get<uint64_t>();
}

bool flag_of(const json &v, const std::string &key) {
  if (!v.is_boolean())
    throw seam::error("net.fault: `" + key + "` must be true or false, not " + v.dump());
  return v.get<bool>();
}

const std::array<const char *, 7> kinds = {"latency", "jitter", "bandwidth", "reset_peer",
                                           "timeout", "down",   "slicer"};

void apply(shaping &s, const json &f) {
  if (f.contains("latency"))
    s.latency = duration_of(f, "latency");
  if (f.contains("jitter"))
    s.jitter = duration_of(f, "jitter");
  if (f.contains("bandwidth"))
    s.bandwidth = f["bandwidth"].get<uint64_t>();
  if (f.contains("reset_peer")) {
    const json &r = f["reset_peer"];
    if (r.is_boolean())
      s.reset_after = r.get<bool>() ? std::optional<uint64_t>(0) : std::nullopt;
    else
      s.reset_after = r.get<uint64_t>();
  }
  if (f.contains("timeout"))
    s.blackhole = f["timeout"].get<bool>();
  if (f.contains("slicer")) {
    s.slice_size = f["slicer"]["size"].get<uint64_t>();
    s.slice_delay = duration_of(f["slicer"], "delay");
  }
}

} // namespace

fault_request parse_fault(const json &input, std::string test_id) {
  fault_request r;
  r.test_id = std::move(test_id);
  r.fields = json::object();
  for (const auto &[key, value] : input.items()) {
    if (key == "direction") {
      std::string d = value.is_string() ? value.get<std::string>() : "";
      if (d != "up" && d != "down" && d != "both")
        throw seam::error("net.fault: `direction` " + value.dump() +
                          " must be \"up\" (service to dependency), \"down\" (answers) or "
                          "\"both\"");
      continue;
    }
    if (key == "persist") {
      r.persist = flag_of(value, key);
      continue;
    }
    if (std::find(kinds.begin(), kinds.end(), key) == kinds.end())
      throw seam::error("net.fault: unknown fault `" + key +
                        "`; known: latency, jitter, bandwidth, reset_peer, timeout, down, "
                        "slicer (and direction, persist)");
    if (key == "latency" || key == "jitter")
      duration_of(input, key.c_str());
    else if (key == "bandwidth")
      count_of(value, key, 1);
    else if (key == "reset_peer") {
      if (!value.is_boolean())
        count_of(value, key, 0);
    } else if (key == "timeout" || key == "down")
      flag_of(value, key);
    else if (key == "slicer") {
      if (!value.is_object() || !value.contains("size") || !value.contains("delay"))
        throw seam::error("net.fault: `slicer` must be { size = BYTES, delay = \"DURATION\" }");
      count_of(value["size"], "slicer.size", 1);
      duration_of(value, "delay");
    }
    r.fields[key] = value;
  }
  if (r.fields.empty())
    throw seam::error("net.fault: no fault given; give one of latency, jitter, bandwidth, "
                      "reset_peer, timeout, down, slicer");
  std::string d = input.value("direction", "down");
  r.dirs = {d == "up" || d == "both", d == "down" || d == "both"};
  return r;
}

fault_state combine(const std::vector<fault_request> &requests) {
  fault_state s;
  for (const auto &r : requests) {
    if (r.fields.contains("down"))
      s.down = r.fields["down"].get<bool>();
    for (int d : {0, 1})
      if (r.dirs[d])
        apply(s.dir[d], r.fields);
  }
  return s;
}

bool fault_state::any() const {
  if (down)
    return true;
  return !dir[up].clean() || !dir[down].clean();
}

json fault_state::to_json() const {
  json out = json::object();
  out["down"] = down;
  const char *names[] = {"up", "down"};
  for (int d : {0, 1}) {
    const shaping &s = dir[d];
    json j = json::object();
    if (s.latency.count())
      j["latency_ms"] = s.latency.count() / 1000.0;
    if (s.jitter.count())
      j["jitter_ms"] = s.jitter.count() / 1000.0;
    if (s.bandwidth)
      j["bandwidth"] = s.bandwidth;
    if (s.reset_after)
      j["reset_peer"] = *s.reset_after;
    if (s.blackhole)
      j["timeout"] = true;
    if (s.slice_size)
      j["slicer"] = {{"size", s.slice_size}, {"delay_ms", s.slice_delay.count() / 1000.0}};
    out["direction"][names[d]] = std::move(j);
  }
  return out;
}

const char *fault_schema() {
  return R"json({
  "type": "object",
  "properties": {
    "latency": {
      "type": "string",
      "pattern": "^[0-9]+(\\.[0-9]+)?(us|ms|s|m|h)$",
      "description": "a delay added to every chunk, a duration such as \"200ms\""
    },
    "jitter": {
      "type": "string",
      "pattern": "^[0-9]+(\\.[0-9]+)?(us|ms|s|m|h)$",
      "description": "random +/- spread around latency, a duration such as \"20ms\""
    },
    "bandwidth": {
      "type": "integer",
      "minimum": 1,
      "description": "bytes per second each connection may carry"
    },
    "reset_peer": {
      "type": [
        "boolean",
        "integer"
      ],
      "minimum": 0,
      "description": "true: reset connections (RST) at once; N: after N bytes"
    },
    "timeout": {
      "type": "boolean",
      "description": "black hole: connections are accepted, data is swallowed"
    },
    "down": {
      "type": "boolean",
      "description": "refuse new connections and close the open ones"
    },
    "slicer": {
      "type": "object",
      "properties": {
        "size": {
          "type": "integer",
          "minimum": 1,
          "description": "bytes per slice"
        },
        "delay": {
          "type": "string",
          "pattern": "^[0-9]+(\\.[0-9]+)?(us|ms|s|m|h)$",
          "description": "a pause between slices, e.g. \"5ms\""
        }
      },
      "required": [
        "size",
        "delay"
      ],
      "additionalProperties": false,
      "description": "split data into small slices sent apart"
    },
    "direction": {
      "enum": [
        "up",
        "down",
        "both"
      ],
      "description": "up: service to dependency; down (default): the answers"
    },
    "persist": {
      "type": "boolean",
      "description": "keep the faults after the test ends (default false)"
    }
  },
  "additionalProperties": false
})json";
}

} // namespace seam_net
