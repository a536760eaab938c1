// plugin.cpp - the fs plugin's descriptor: `fs` resources (a confined root,
// or a temporary directory) and the steps on their files.
#include "confine.hpp"
#include "content.hpp"
#include "schemas.hpp"
#include "wait.hpp"

#include <seam/plugin.hpp>

#include <fnmatch.h>
#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>

namespace fs = std::filesystem;

namespace {

using seam::json;
using seam_fs::root_dir;
using namespace seam_fs::schemas;

// One [resources.NAME] table.
struct fs_resource {
  std::string name;
  std::optional<root_dir> root;
  bool remove_at_close = false;
  bool per_test = false, keep = false;
  std::mutex lock;                       // tests of a --jobs run begin and end at once
  std::map<std::string, root_dir> tests; // per_test: each running test's own directory
  ~fs_resource() {
    if (remove_at_close) {
      std::error_code ignored;
      fs::remove_all(root->path(), ignored);
    }
  }
};

// The root a step works under: its test's own directory with per_test, else
// the resource's.
root_dir root_for(fs_resource *r, const seam::context &ctx) {
  if (r->per_test && !ctx.test_id().empty()) {
    std::lock_guard guard(r->lock);
    if (auto it = r->tests.find(std::string(ctx.test_id())); it != r->tests.end())
      return it->second;
  }
  return *r->root;
}

// A test id as a directory name (ids are made of letters, digits and '-'
// today; nothing else may reach the file system).
std::string test_dir_name(const std::string &id) {
  std::string name = "test-";
  for (char c : id)
    name.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_');
  return name;
}

fs::path make_temp_dir(const std::string &name) {
  const char *base = getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/seam-fs-" + name + "-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr)
    throw seam::error("fs: resource " + name + ": cannot create a temporary directory " + pattern +
                      " (" + std::strerror(errno) + "); hint: check TMPDIR");
  return pattern;
}

const std::string &path_of(const json &in) { return in.at("path").get_ref<const std::string &>(); }

json write_file(fs_resource *r, const json &in, seam::context &ctx) {
  const root_dir root = root_for(r, ctx);
  const std::string step = "fs.write";
  int given = in.contains("text") + in.contains("base64") + in.contains("json");
  if (given != 1)
    throw seam::error("fs.write: give exactly one of `text`, `base64`, `json` (" +
                      std::to_string(given) + " given)");
  auto target = root.resolve(path_of(in), step);
  std::string bytes;
  if (in.contains("text"))
    bytes = in["text"].get<std::string>();
  else if (in.contains("json"))
    bytes = in["json"].dump(2) + "\n";
  else
    try {
      bytes = seam_fs::decode_base64(in["base64"].get<std::string>());
    } catch (const seam::error &e) {
      throw seam::error(std::string("fs.write: `base64` is ") + e.what());
    }
  std::error_code ec;
  if (fs::is_directory(target, ec))
    throw seam::error("fs.write: " + root.relative(target) + " is a directory");
  if (in.value("parents", true)) {
    fs::create_directories(target.parent_path(), ec);
    if (ec)
      throw seam::error("fs.write: cannot create the directories of " + root.relative(target) +
                        " (" + ec.message() + ")");
  } else if (!fs::is_directory(target.parent_path(), ec)) {
    throw seam::error("fs.write: the directory of " + root.relative(target) +
                      " does not exist; hint: parents = true creates it");
  }
  {
    std::ofstream out(target, std::ios::binary |
                                  (in.value("append", false) ? std::ios::app : std::ios::trunc));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out)
      throw seam::error("fs.write: cannot write " + root.relative(target) + " (" +
                        std::strerror(errno) + ")");
  }
  if (auto m = in.find("mode"); m != in.end()) {
    auto mode = static_cast<fs::perms>(std::stoul(m->get<std::string>(), nullptr, 8));
    fs::permissions(target, mode, ec);
    if (ec)
      throw seam::error("fs.write: cannot set mode " + m->get<std::string>() + " on " +
                        root.relative(target) + " (" + ec.message() + ")");
  }
  json out = seam_fs::describe(root, target);
  if (in.value("append", false)) { // the digest is the whole file's, for fs.wait's `since`
    std::ifstream file(target, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  out["digest"] = seam_fs::digest_of(bytes);
  return out;
}

json list_dir(fs_resource *r, const json &in, seam::context &ctx) {
  const root_dir root = root_for(r, ctx);
  const std::string step = "fs.list";
  auto dir = root.resolve(in.value("path", std::string(".")), step);
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw seam::error("fs.list: " + root.relative(dir) + " is not a directory");
  std::string glob = in.value("glob", std::string("*"));
  json entries = json::array();
  auto add = [&](const fs::directory_entry &e) {
    std::string name = e.path().filename().string();
    if (fnmatch(glob.c_str(), name.c_str(), FNM_PERIOD) != 0)
      return;
    json item = seam_fs::describe(root, e.path().lexically_normal());
    item["path"] = root.relative(e.path().lexically_normal());
    item["name"] = name;
    item.erase("absolute");
    entries.push_back(std::move(item));
  };
  if (in.value("recursive", false)) {
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      if (ctx.cancelled())
        throw seam::error("fs.list: cancelled");
      add(*it);
    }
  } else {
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::end(it); it.increment(ec))
      add(*it);
  }
  if (ec)
    throw seam::error("fs.list: cannot list " + root.relative(dir) + " (" + ec.message() + ")");
  std::sort(entries.begin(), entries.end(),
            [](const json &a, const json &b) { return a["path"] < b["path"]; });
  json out = json::object();
  out["count"] = entries.size();
  out["entries"] = std::move(entries);
  return out;
}

json remove_path(fs_resource *r, const json &in, seam::context &ctx) {
  const root_dir root = root_for(r, ctx);
  const std::string step = "fs.remove";
  auto target = root.resolve(path_of(in), step);
  if (target == root.path())
    throw seam::error("fs.remove: refusing to remove the root " + target.string() +
                      " itself; hint: remove what it holds, e.g. path = \"exports\"");
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(target, ec))) {
    if (in.value("missing_ok", false))
      return json{{"removed", 0}};
    throw seam::error("fs.remove: no such file: " + root.relative(target) +
                      "; hint: missing_ok = true accepts that");
  }
  uintmax_t n = 0;
  if (fs::is_directory(target, ec) && !fs::is_empty(target, ec)) {
    if (!in.value("recursive", false))
      throw seam::error("fs.remove: " + root.relative(target) +
                        " is a directory that is not empty; hint: recursive = true removes it "
                        "with everything in it");
    n = fs::remove_all(target, ec);
  } else {
    n = fs::remove(target, ec) ? 1 : 0;
  }
  if (ec)
    throw seam::error("fs.remove: cannot remove " + root.relative(target) + " (" + ec.message() +
                      ")");
  return json{{"removed", n}};
}

} // namespace

SEAM_PLUGIN(plugin) {
  plugin.info("fs", "0.1.0", "Files a service reads and writes, confined to a root");

  plugin.resource<fs_resource>(
      "A directory steps are confined to: an existing root, or a temporary one", resource_schema,
      [](const std::string &name, const json &config, seam::context &ctx) {
        bool temp = config.value("temp", false);
        if (temp == config.contains("root"))
          throw seam::error("fs: resource " + name +
                            " needs either root = \"DIR\" or temp = true (not both)");
        bool per_test = config.value("per_test", false);
        if (config.contains("keep") && !temp && !per_test)
          throw seam::error("fs: resource " + name +
                            ": keep applies to temp = true and per_test = true only; a root "
                            "is never removed");
        auto r = std::make_unique<fs_resource>();
        r->name = name;
        r->per_test = per_test;
        r->keep = config.value("keep", false);
        if (temp) {
          auto dir = make_temp_dir(name);
          r->remove_at_close = !config.value("keep", false);
          try {
            r->root.emplace(dir, name);
          } catch (...) {
            fs::remove(dir);
            throw;
          }
        } else {
          r->root.emplace(config["root"].get<std::string>(), name);
        }
        ctx.publish({{"path", r->root->path().string()}});
        return r;
      });

  plugin.test_hooks<fs_resource>(
      [](fs_resource *r, const std::string &test_id, seam::context &) {
        if (!r->per_test)
          return;
        fs::path dir = r->root->path() / test_dir_name(test_id);
        std::error_code ec;
        fs::create_directory(dir, ec);
        if (ec)
          throw seam::error("fs: resource " + r->name + ": cannot create the test's directory " +
                            dir.string() + " (" + ec.message() + ")");
        std::lock_guard guard(r->lock);
        r->tests.insert_or_assign(test_id, root_dir(dir, r->name));
      },
      [](fs_resource *r, const std::string &test_id, seam::context &ctx) {
        if (!r->per_test)
          return;
        std::lock_guard guard(r->lock);
        auto it = r->tests.find(test_id);
        if (it == r->tests.end())
          return;
        if (!r->keep) {
          std::error_code ec;
          fs::remove_all(it->second.path(), ec);
          if (ec)
            ctx.warn("fs: cannot remove " + it->second.path().string() + ": " + ec.message());
        }
        r->tests.erase(it);
      });

  plugin.resource_step<fs_resource>(
      "write", "Writes a file (text, base64 or JSON), creating its directories", write_schema,
      read_output, write_file);
  plugin.resource_step<fs_resource>(
      "read", "Reads a file as text, JSON, CSV rows or base64, with its size, mode and mtime",
      read_schema, read_output, [](fs_resource *r, const json &in, seam::context &ctx) {
        const root_dir root = root_for(r, ctx);
        auto target = root.resolve(path_of(in), "fs.read");
        return seam_fs::read_file(root, target, seam_fs::parse_read_options(in, "fs.read"),
                                  "fs.read");
      });
  plugin.resource_step<fs_resource>("exists", "Whether a path exists, and what it is", path_only,
                                    R"json({
  "type": "object",
  "properties": {
    "exists": {
      "type": "boolean",
      "description": "true when the path is there"
    },
    "type": {
      "type": [
        "string",
        "null"
      ],
      "description": "file, directory, other; null when missing"
    },
    "absolute": {
      "type": "string",
      "description": "the real path (per_test: \".\" is the test's directory)"
    }
  }
})json",
                                    [](fs_resource *r, const json &in, seam::context &ctx) {
                                      const root_dir root = root_for(r, ctx);
                                      auto target = root.resolve(path_of(in), "fs.exists");
                                      try {
                                        auto facts = seam_fs::describe(root, target);
                                        return json{{"exists", true},
                                                    {"type", facts["type"]},
                                                    {"path", facts["path"]},
                                                    {"absolute", facts["absolute"]}};
                                      } catch (const seam::error &) {
                                        return json{{"exists", false},
                                                    {"type", nullptr},
                                                    {"path", root.relative(target)},
                                                    {"absolute", target.string()}};
                                      }
                                    });
  plugin.resource_step<fs_resource>(
      "list", "Lists a directory's entries whose names match a glob, sorted by path", list_schema,
      R"json({
  "type": "object",
  "properties": {
    "count": {
      "type": "integer",
      "description": "how many entries matched"
    },
    "entries": {
      "type": "array",
      "description": "path, name, type, size, mode, mtime of each"
    }
  }
})json",
      list_dir);
  plugin.resource_step<fs_resource>(
      "wait", "Waits until a file appears, changes, goes away or its content matches `until`",
      seam_fs::wait_schema(), read_output, [](fs_resource *r, const json &in, seam::context &ctx) {
        return seam_fs::wait_for_file(root_for(r, ctx), in, ctx);
      });
  plugin.resource_step<fs_resource>("remove", "Removes a file, or a directory with recursive",
                                    remove_schema,
                                    R"json({
  "type": "object",
  "properties": {
    "removed": {
      "type": "integer",
      "description": "how many files and directories were removed"
    }
  }
})json",
                                    remove_path);
}
