// wait.cpp - fs.wait polls the file every few milliseconds: files that
// services drop may sit on any file system (inotify misses NFS and bind
// mounts), and a poll costs next to nothing at this rate.
#include "wait.hpp"

#include "content.hpp"

#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

namespace fs = std::filesystem;

namespace seam_fs {

using seam::json;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr auto poll_interval = std::chrono::milliseconds(20);

std::string shorten(const std::string &text) {
  return text.size() <= 300 ? text : text.substr(0, 300) + "...";
}

std::string read_bytes(const fs::path &p) {
  std::ifstream file(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

// What "changed" compares without `since`: a file's facts and bytes, or its
// absence.
std::string fingerprint(const fs::path &p) {
  std::error_code ec;
  auto status = fs::status(p, ec);
  if (ec || !fs::exists(status))
    return "missing";
  auto mtime = fs::last_write_time(p, ec).time_since_epoch().count();
  std::string bytes;
  if (fs::is_regular_file(status))
    bytes = read_bytes(p);
  return std::to_string(mtime) + ":" + std::to_string(bytes.size()) + ":" + bytes;
}

} // namespace

json wait_for_file(const root_dir &root, const json &in, seam::context &ctx) {
  const std::string step = "fs.wait";
  auto target = root.resolve(in.at("path").get<std::string>(), step);
  auto options = parse_read_options(in, step);
  std::string event = in.value("for", std::string("exists"));
  const json *until = in.contains("until") ? &in["until"] : nullptr;
  if (until != nullptr && !until->is_object())
    throw seam::error("fs.wait: `until` must be a table such as { \"json.status\" = \"done\" }");
  if (until != nullptr && event == "removed")
    throw seam::error("fs.wait: `until` checks content, which a removed file has none of");

  std::string timeout_text = in.value("timeout", std::string("10s"));
  auto timeout = seam::parse_duration(timeout_text);
  if (!timeout)
    throw seam::error("fs.wait: `timeout` \"" + timeout_text +
                      "\" is not a duration; write e.g. \"10s\"");
  auto start = clock_type::now();
  auto deadline = start + *timeout;
  std::string limit = "`timeout` " + timeout_text;
  if (auto left = ctx.remaining(); left && start + *left < deadline) {
    deadline = start + *left;
    limit = "the step's deadline";
  }

  // `since` (a digest an earlier step returned) closes the gap between that
  // step and this one: a change made in between still counts.
  std::string since = in.value("since", std::string());
  if (!since.empty() && event != "changed")
    throw seam::error("fs.wait: `since` goes with for = \"changed\"");
  std::string baseline = event == "changed" && since.empty() ? fingerprint(target) : "";
  auto unchanged = [&] {
    if (since.empty())
      return fingerprint(target) == baseline;
    std::error_code ec;
    return fs::is_regular_file(target, ec) && digest_of(read_bytes(target)) == since;
  };
  std::string last; // why the last look was not enough, for the error
  for (;;) {
    std::error_code ec;
    bool exists = fs::exists(target, ec);
    if (event == "removed") {
      if (!exists)
        return json{{"path", root.relative(target)},
                    {"exists", false},
                    {"waited_ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                                      clock_type::now() - start)
                                      .count()}};
      last = "it is still there";
    } else if (!exists) {
      last = "it does not exist";
    } else if (event == "changed" && unchanged()) {
      last = "it has not changed";
    } else {
      try {
        json doc = read_file(root, target, options, step);
        if (until == nullptr || ctx.match(*until, doc)) {
          doc["waited_ms"] =
              std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - start)
                  .count();
          return doc;
        }
        doc.erase("absolute");
        last = "its content does not match `until` yet; last read: " + shorten(doc.dump());
      } catch (const seam::error &e) {
        // A file still being written may be half a JSON document.
        last = std::string("it cannot be read as ") + options.as + " yet: " + e.what();
      }
    }
    if (ctx.cancelled())
      throw seam::error("fs.wait: cancelled while waiting for " + root.relative(target) + " (" +
                        last + ")");
    auto now = clock_type::now();
    if (now >= deadline)
      throw seam::error(
          "fs.wait: gave up on " + root.relative(target) + " (for = \"" + event + "\") after " +
          std::to_string(
              std::chrono::duration_cast<std::chrono::milliseconds>(now - start).count()) +
          " ms, the limit set by " + limit + ": " + last);
    std::this_thread::sleep_for(std::min<clock_type::duration>(poll_interval, deadline - now));
  }
}

const char *wait_schema() {
  return R"json({
  "type": "object",
  "properties": {
    "path": {
      "type": "string",
      "minLength": 1,
      "description": "the file, relative to the root"
    },
    "for": {
      "enum": [
        "exists",
        "changed",
        "removed"
      ],
      "default": "exists",
      "description": "exists: until it is there; changed: until it differs from when the step began; removed: until it is gone"
    },
    "since": {
      "type": "string",
      "pattern": "^sha256:[0-9a-f]{64}$",
      "description": "with for = \"changed\": the `digest` an earlier fs.read or fs.write returned; a change is a different content"
    },
    "until": {
      "type": "object",
      "description": "an expect table the file (as fs.read returns it) must match, e.g. { \"json.status\" = \"done\" }"
    },
    "as": {
      "enum": [
        "text",
        "json",
        "csv",
        "base64",
        "none"
      ],
      "default": "text",
      "description": "how to read the file for `until` and the output"
    },
    "csv": {
      "type": "object",
      "properties": {
        "header": {
          "type": "boolean",
          "default": true,
          "description": "the first record names the columns"
        },
        "delimiter": {
          "type": "string",
          "minLength": 1,
          "maxLength": 1,
          "default": ",",
          "description": "the field separator"
        }
      },
      "additionalProperties": false
    },
    "timeout": {
      "type": "string",
      "default": "10s",
      "description": "how long to wait at most (the step's deadline may be nearer), e.g. \"30s\""
    }
  },
  "required": [
    "path"
  ],
  "additionalProperties": false
})json";
}

} // namespace seam_fs
