// plugin.cpp - the fs plugin's descriptor: `fs` resources (a confined root,
// or a temporary directory) and the steps on their files.
#include "confine.hpp"
#include "content.hpp"
#include "wait.hpp"

#include <seam/plugin.hpp>

#include <fnmatch.h>
#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>

namespace fs = std::filesystem;

namespace {

using seam::json;
using seam_fs::root_dir;

// One [resources.NAME] table.
struct fs_resource {
  std::optional<root_dir> root;
  bool remove_at_close = false;
  ~fs_resource() {
    if (remove_at_close) {
      std::error_code ignored;
      fs::remove_all(root->path(), ignored);
    }
  }
};

fs::path make_temp_dir(const std::string &name) {
  const char *base = getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/seam-fs-" + name + "-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr)
    throw seam::error("fs: resource " + name + ": cannot create a temporary directory " + pattern +
                      " (" + std::strerror(errno) + "); hint: check TMPDIR");
  return pattern;
}

const char *resource_schema = R"json({"type": "object",
  "properties": {
    "root": {"type": "string", "minLength": 1,
             "description": "an existing directory steps are confined to (relative: to where seam runs)"
}
,
    "temp"
    : {"type" : "boolean", "description" : "true: a new temporary directory, removed at the end"},
      "keep" : {
  "type" : "boolean",
           "default" : false,
                       "description" : "with temp: leave the directory in place at the end"
}
}
, "additionalProperties" : false
})json";

const char *path_only = R"json({"type": "object",
  "properties": {"path": {"type": "string", "minLength": 1,
                          "description": "relative to the resource's root"}},
  "required": ["path"], "additionalProperties": false})json";

const char *write_schema = R"json({"type": "object",
  "properties": {
    "path": {"type": "string", "minLength": 1, "description": "relative to the resource's root"},
    "text": {"type": "string", "description": "the content, as text"},
    "base64": {"type": "string", "description": "the content, base64-encoded bytes"},
    "json": {"description": "the content: any value, written as JSON"},
    "mode": {"type": "string", "pattern": "^0?[0-7]{3,4}$",
             "description": "permissions in octal, such as \"0644\""},
    "parents": {"type": "boolean", "default": true,
                "description": "create missing parent directories"},
    "append": {"type": "boolean", "default": false, "description": "add to the end of the file"}
  },
  "required": ["path"], "additionalProperties": false})json";

const char *read_schema = R"json({"type": "object",
  "properties": {
    "path": {"type": "string", "minLength": 1, "description": "relative to the resource's root"},
    "as": {"enum": ["text", "json", "csv", "base64", "none"], "default": "text",
           "description": "text, json (parsed), csv (rows), base64 (bytes), none (facts only)"
}
, "csv" : {
  "type" : "object",
           "properties" : {
             "header" : {
               "type" : "boolean",
               "default" : true,
               "description" : "the first record names the columns"
             },
             "delimiter" : {
               "type" : "string",
               "minLength" : 1,
               "maxLength" : 1,
               "default" : ",",
               "description" : "the field separator"
             }
           },
                          "additionalProperties" : false
}
}
, "required" : ["path"], "additionalProperties" : false
})json";

const char *read_output = R"json({"type": "object", "properties": {
  "path": {"type": "string", "description": "relative to the root"},
  "absolute": {"type": "string", "description": "the real path"},
  "type": {"type": "string", "description": "file, directory or other"},
  "size": {"type": "integer", "description": "bytes"},
  "mode": {"type": "string", "description": "permissions in octal, e.g. \"0644\""},
  "mtime": {"type": "string", "description": "last modification, ISO 8601 UTC"},
  "mtime_ms": {"type": "integer", "description": "the same, in milliseconds since 1970"},
  "text": {"type": "string", "description": "with as = \"text\""},
  "json": {"description": "with as = \"json\""},
  "rows": {"type": "array", "description": "with as = \"csv\": objects by header, or arrays"},
  "base64": {"type": "string", "description": "with as = \"base64\""},
  "digest": {"type": "string", "description": "sha256:HEX of the content (not with as = \"none\"), for fs.wait's since"}}})json";

const char *list_schema = R"json({"type": "object",
  "properties": {
    "path": {"type": "string", "minLength": 1, "default": ".", "description": "the directory to list"},
    "glob": {"type": "string", "minLength": 1, "default": "*",
             "description": "a pattern names must match (fnmatch: * ? [...]); * skips dot files"},
    "recursive": {"type": "boolean", "default": false, "description": "list subdirectories too"}
  },
  "additionalProperties": false})json";

const char *remove_schema = R"json({"type": "object",
  "properties": {
    "path": {"type": "string", "minLength": 1, "description": "relative to the resource's root"},
    "recursive": {"type": "boolean", "default": false, "description": "remove a directory and all it holds"},
    "missing_ok": {"type": "boolean", "default": false, "description": "a missing file is not an error"}
  },
  "required": ["path"], "additionalProperties": false})json";

const std::string &path_of(const json &in) { return in.at("path").get_ref<const std::string &>(); }

json write_file(fs_resource *r, const json &in, seam::context &) {
  const std::string step = "fs.write";
  int given = in.contains("text") + in.contains("base64") + in.contains("json");
  if (given != 1)
    throw seam::error("fs.write: give exactly one of `text`, `base64`, `json` (" +
                      std::to_string(given) + " given)");
  auto target = r->root->resolve(path_of(in), step);
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
    throw seam::error("fs.write: " + r->root->relative(target) + " is a directory");
  if (in.value("parents", true)) {
    fs::create_directories(target.parent_path(), ec);
    if (ec)
      throw seam::error("fs.write: cannot create the directories of " + r->root->relative(target) +
                        " (" + ec.message() + ")");
  } else if (!fs::is_directory(target.parent_path(), ec)) {
    throw seam::error("fs.write: the directory of " + r->root->relative(target) +
                      " does not exist; hint: parents = true creates it");
  }
  {
    std::ofstream out(target, std::ios::binary |
                                  (in.value("append", false) ? std::ios::app : std::ios::trunc));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out)
      throw seam::error("fs.write: cannot write " + r->root->relative(target) + " (" +
                        std::strerror(errno) + ")");
  }
  if (auto m = in.find("mode"); m != in.end()) {
    auto mode = static_cast<fs::perms>(std::stoul(m->get<std::string>(), nullptr, 8));
    fs::permissions(target, mode, ec);
    if (ec)
      throw seam::error("fs.write: cannot set mode " + m->get<std::string>() + " on " +
                        r->root->relative(target) + " (" + ec.message() + ")");
  }
  json out = seam_fs::describe(*r->root, target);
  if (in.value("append", false)) { // the digest is the whole file's, for fs.wait's `since`
    std::ifstream file(target, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  out["digest"] = seam_fs::digest_of(bytes);
  return out;
}

json list_dir(fs_resource *r, const json &in, seam::context &ctx) {
  const std::string step = "fs.list";
  auto dir = r->root->resolve(in.value("path", std::string(".")), step);
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw seam::error("fs.list: " + r->root->relative(dir) + " is not a directory");
  std::string glob = in.value("glob", std::string("*"));
  json entries = json::array();
  auto add = [&](const fs::directory_entry &e) {
    std::string name = e.path().filename().string();
    if (fnmatch(glob.c_str(), name.c_str(), FNM_PERIOD) != 0)
      return;
    json item = seam_fs::describe(*r->root, e.path().lexically_normal());
    item["path"] = r->root->relative(e.path().lexically_normal());
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
    throw seam::error("fs.list: cannot list " + r->root->relative(dir) + " (" + ec.message() + ")");
  std::sort(entries.begin(), entries.end(),
            [](const json &a, const json &b) { return a["path"] < b["path"]; });
  json out = json::object();
  out["count"] = entries.size();
  out["entries"] = std::move(entries);
  return out;
}

json remove_path(fs_resource *r, const json &in, seam::context &) {
  const std::string step = "fs.remove";
  auto target = r->root->resolve(path_of(in), step);
  if (target == r->root->path())
    throw seam::error("fs.remove: refusing to remove the root " + target.string() +
                      " itself; hint: remove what it holds, e.g. path = \"exports\"");
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(target, ec))) {
    if (in.value("missing_ok", false))
      return json{{"removed", 0}};
    throw seam::error("fs.remove: no such file: " + r->root->relative(target) +
                      "; hint: missing_ok = true accepts that");
  }
  uintmax_t n = 0;
  if (fs::is_directory(target, ec) && !fs::is_empty(target, ec)) {
    if (!in.value("recursive", false))
      throw seam::error("fs.remove: " + r->root->relative(target) +
                        " is a directory that is not empty; hint: recursive = true removes it "
                        "with everything in it");
    n = fs::remove_all(target, ec);
  } else {
    n = fs::remove(target, ec) ? 1 : 0;
  }
  if (ec)
    throw seam::error("fs.remove: cannot remove " + r->root->relative(target) + " (" +
                      ec.message() + ")");
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
                            " needs either root = \"DIR\" or temp = "
                            "true (not both)");
        if (config.contains("keep") && !temp)
          throw seam::error("fs: resource " + name +
                            ": keep applies to temp = true only; "
                            "a root is never removed");
        auto r = std::make_unique<fs_resource>();
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

  plugin.resource_step<fs_resource>(
      "write", "Writes a file (text, base64 or JSON), creating its directories", write_schema,
      read_output, write_file);
  plugin.resource_step<fs_resource>(
      "read", "Reads a file as text, JSON, CSV rows or base64, with its size, mode and mtime",
      read_schema, read_output, [](fs_resource *r, const json &in, seam::context &) {
        auto target = r->root->resolve(path_of(in), "fs.read");
        return seam_fs::read_file(*r->root, target, seam_fs::parse_read_options(in, "fs.read"),
                                  "fs.read");
      });
  plugin.resource_step<fs_resource>(
      "exists", "Whether a path exists, and what it is", path_only,
      R"json({"type": "object", "properties": {
          "exists": {"type": "boolean", "description": "true when the path is there"},
          "type": {"type": ["string", "null"], "description": "file, directory, other; null when missing"}}})json",
      [](fs_resource *r, const json &in, seam::context &) {
        auto target = r->root->resolve(path_of(in), "fs.exists");
        try {
          auto facts = seam_fs::describe(*r->root, target);
          return json{{"exists", true}, {"type", facts["type"]}, {"path", facts["path"]}};
        } catch (const seam::error &) {
          return json{{"exists", false}, {"type", nullptr}, {"path", r->root->relative(target)}};
        }
      });
  plugin.resource_step<fs_resource>(
      "list", "Lists a directory's entries whose names match a glob, sorted by path", list_schema,
      R"json({"type": "object", "properties": {
          "count": {"type": "integer", "description": "how many entries matched"},
          "entries": {"type": "array", "description": "path, name, type, size, mode, mtime of each"}}})json",
      list_dir);
  plugin.resource_step<fs_resource>(
      "wait", "Waits until a file appears, changes, goes away or its content matches `until`",
      seam_fs::wait_schema(), read_output, [](fs_resource *r, const json &in, seam::context &ctx) {
        return seam_fs::wait_for_file(*r->root, in, ctx);
      });
  plugin.resource_step<fs_resource>("remove", "Removes a file, or a directory with recursive",
                                    remove_schema,
                                    R"json({"type": "object", "properties": {"removed": {
          "type": "integer", "description": "how many files and directories were removed"}}})json",
                                    remove_path);
}
