// Reading (TOML++) and writing seam-pack.toml; see manifest.hpp.
#include "seam/core/host/pack/manifest.hpp"
#include "seam/core/base/file_text.hpp"
#include "seam/core/host/names.hpp"
#include "seam/core/host/pack/pack_error.hpp"
#include "seam/core/host/pack/platform.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <set>

namespace seam::pack {

namespace {

// 64 lower-case hex digits.
bool is_sha256(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// MAJOR.MINOR, each of 1 to 4 digits.
bool read_abi(std::string_view s, unsigned &major, unsigned &minor) {
  auto number = [&](std::string_view part, unsigned &out) {
    if (part.empty() || part.size() > 4)
      return false;
    out = 0;
    for (char c : part) {
      if (c < '0' || c > '9')
        return false;
      out = out * 10 + static_cast<unsigned>(c - '0');
    }
    return true;
  };
  size_t dot = s.find('.');
  return dot != std::string_view::npos && number(s.substr(0, dot), major) &&
         number(s.substr(dot + 1), minor);
}

class Reader {
public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const toml::source_region &at, const std::string &msg,
                         const std::string &hint = {}) const {
    std::string where = file_;
    if (at.begin.line > 0)
      where += ":" + std::to_string(at.begin.line) + ":" + std::to_string(at.begin.column);
    throw PackError(Refusal::Contents, where + ": " + msg, hint);
  }

  std::string string(const toml::node &n, const std::string &key) const {
    if (!n.is_string())
      fail(n.source(), "'" + key + "' must be a string");
    return std::string(*n.as_string());
  }

  const toml::node &required(const toml::table &t, const std::string &key) const {
    const toml::node *n = t.get(key);
    if (!n)
      fail(t.source(), "the manifest has no '" + key + "'",
           "see docs/packs.md for the fields of seam-pack.toml");
    return *n;
  }

  PackFile file_entry(const toml::node &n, const std::string &key) const {
    PackFile f;
    if (n.is_string()) {
      f.path = std::string(*n.as_string());
    } else if (const toml::table *t = n.as_table()) {
      for (const auto &[k, v] : *t)
        if (k.str() != "path" && k.str() != "sha256")
          fail(v.source(), "unknown key '" + std::string(k.str()) + "' in " + key,
               "a file is { path = \"...\", sha256 = \"...\" }");
      f.path = string(required(*t, "path"), key + ".path");
      if (const toml::node *s = t->get("sha256")) {
        f.sha256 = string(*s, key + ".sha256");
        if (!is_sha256(f.sha256))
          fail(s->source(), "'" + key + ".sha256' is not a SHA-256 (64 lower-case hex digits)");
      }
    } else {
      fail(n.source(), "'" + key + "' must be a path or { path, sha256 }");
    }
    std::string why;
    if (!safe_relative_path(f.path, &why))
      fail(n.source(), "'" + key + "' path '" + f.path + "' " + why);
    return f;
  }

private:
  std::string file_;
};

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (c < 0x20 || c == 0x7f) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
    }
  }
  return out + "\"";
}

std::string key(std::string_view k) {
  bool bare = !k.empty() && std::all_of(k.begin(), k.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
  return bare ? std::string(k) : quote(k);
}

std::string file_value(const PackFile &f) {
  if (f.sha256.empty())
    return quote(f.path);
  return "{ path = " + quote(f.path) + ", sha256 = " + quote(f.sha256) + " }";
}

} // namespace

bool safe_relative_path(std::string_view path, std::string *why) {
  auto no = [&](const char *what) {
    if (why)
      *why = what;
    return false;
  };
  if (path.empty())
    return no("is empty");
  if (path.front() == '/')
    return no("is absolute (paths in a pack are relative to its root)");
  if (path.size() > 255)
    return no("is longer than 255 bytes");
  for (unsigned char c : path)
    if (c < 0x20 || c == 0x7f || c == '\\')
      return no("holds a control character or a backslash");
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos)
      end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (part == "..")
      return no("goes up with '..' (paths in a pack stay inside it)");
    if (part.empty() || part == ".")
      return no("has an empty or '.' part");
    start = end + 1;
  }
  return true;
}

std::optional<std::string> plugin_name_problem(const std::string &name) {
  if (!is_plugin_name(name))
    return "'" + name +
           "' is not a plugin name (lower-case letters, digits and _, starting with "
           "a letter)";
  return std::nullopt;
}

Manifest Manifest::read(const std::string &path) {
  std::optional<std::string> text = read_file_text(path);
  if (!text)
    throw PackError(Refusal::Contents, path + ": cannot read the manifest",
                    "a pack has a seam-pack.toml at its root");
  return parse(*text, path);
}

Manifest Manifest::parse(std::string_view text, const std::string &file) {
  Reader r(file);
  toml::table root;
  try {
    root = toml::parse(text, std::string_view(file));
  } catch (const toml::parse_error &e) {
    r.fail(e.source(), std::string(e.description()));
  }
  Manifest m;
  static const std::set<std::string> kKeys = {"name",     "version",  "summary",  "license",
                                              "homepage", "abi",      "seam",     "steps",
                                              "docs",     "examples", "requires", "libraries"};
  for (const auto &[k, v] : root)
    if (!kKeys.count(std::string(k.str())))
      r.fail(v.source(), "unknown key '" + std::string(k.str()) + "' in the manifest",
             "the keys are name, version, summary, license, homepage, abi, seam, libraries, "
             "steps, docs, examples and requires (docs/packs.md)");

  const toml::node &name = r.required(root, "name");
  m.name = r.string(name, "name");
  if (auto problem = plugin_name_problem(m.name))
    r.fail(name.source(), *problem);
  const toml::node &version = r.required(root, "version");
  std::string why;
  auto v = Version::parse(r.string(version, "version"), &why);
  if (!v)
    r.fail(version.source(), why);
  m.version = *v;
  m.summary = r.string(r.required(root, "summary"), "summary");
  if (const toml::node *n = root.get("license"))
    m.license = r.string(*n, "license");
  if (const toml::node *n = root.get("homepage"))
    m.homepage = r.string(*n, "homepage");
  const toml::node &abi = r.required(root, "abi");
  if (!read_abi(r.string(abi, "abi"), m.abi_major, m.abi_minor))
    r.fail(abi.source(), "'abi' must be MAJOR.MINOR of the plugin ABI, such as \"1.2\"");
  if (const toml::node *n = root.get("seam")) {
    auto range = Range::parse(r.string(*n, "seam"), &why);
    if (!range)
      r.fail(n->source(), why);
    m.seam = *range;
  }

  if (const toml::node *n = root.get("libraries")) {
    const toml::table *t = n->as_table();
    if (!t)
      r.fail(n->source(), "'libraries' must be a table of PLATFORM = { path, sha256 }");
    for (const auto &[k, lib] : *t) {
      std::string platform(k.str());
      if (!valid_platform(platform))
        r.fail(lib.source(), "'" + platform + "' is not a platform name",
               "platforms are named OS-MACHINE: linux-x86_64, linux-aarch64");
      m.libraries[platform] = r.file_entry(lib, "libraries." + platform);
    }
  }
  if (const toml::node *n = root.get("steps")) {
    const toml::table *t = n->as_table();
    if (!t)
      r.fail(n->source(), "'steps' must be a table of \"STEP\" = \"summary\"");
    for (const auto &[k, s] : *t) {
      std::string step(k.str());
      if (!is_step_name(step))
        r.fail(s.source(), "'" + step + "' is not a step name",
               "steps are named without the plugin: \"query\", \"payment_intents.create\"");
      m.steps[step] = r.string(s, "steps." + step);
    }
  }
  for (auto [field, list] : {std::pair{"docs", &m.docs}, std::pair{"examples", &m.examples}}) {
    const toml::node *n = root.get(field);
    if (!n)
      continue;
    const toml::array *a = n->as_array();
    if (!a)
      r.fail(n->source(), std::string("'") + field + "' must be a list of paths");
    for (const auto &e : *a)
      list->push_back(r.file_entry(e, field));
  }
  if (const toml::node *n = root.get("requires")) {
    const toml::table *t = n->as_table();
    if (!t)
      r.fail(n->source(), "'requires' must be a table of PACK = \"version range\"");
    for (const auto &[k, req] : *t) {
      std::string dep(k.str());
      if (auto problem = plugin_name_problem(dep))
        r.fail(req.source(), *problem);
      auto range = Range::parse(r.string(req, "requires." + dep), &why);
      if (!range)
        r.fail(req.source(), why);
      m.depends.emplace(dep, *range);
    }
  }
  std::set<std::string> paths;
  for (const auto &f : m.files())
    if (!paths.insert(f.path).second)
      r.fail(root.source(), "the manifest names '" + f.path + "' twice");
  return m;
}

std::vector<PackFile> Manifest::files() const {
  std::vector<PackFile> all;
  for (const auto &[p, f] : libraries)
    all.push_back(f);
  all.insert(all.end(), docs.begin(), docs.end());
  all.insert(all.end(), examples.begin(), examples.end());
  std::sort(all.begin(), all.end(), [](const auto &a, const auto &b) { return a.path < b.path; });
  return all;
}

std::string Manifest::library_path(const std::string &platform) const {
  return "lib/" + platform + "/seam-" + name + ".so";
}

std::string Manifest::to_toml() const {
  std::string out;
  auto line = [&](const std::string &k, const std::string &v) { out += k + " = " + v + "\n"; };
  line("name", quote(name));
  line("version", quote(version.str()));
  line("summary", quote(summary));
  if (!license.empty())
    line("license", quote(license));
  if (!homepage.empty())
    line("homepage", quote(homepage));
  line("abi", quote(abi()));
  if (seam)
    line("seam", quote(seam->text()));
  for (auto [field, list] : {std::pair{"docs", &docs}, std::pair{"examples", &examples}}) {
    if (list->empty())
      continue;
    out += std::string(field) + " = [\n";
    for (const auto &f : *list)
      out += "  " + file_value(f) + ",\n";
    out += "]\n";
  }
  if (!depends.empty()) {
    out += "\n[requires]\n";
    for (const auto &[n, r] : depends)
      line(key(n), quote(r.text()));
  }
  out += "\n[libraries]\n";
  for (const auto &[p, f] : libraries)
    line(key(p), file_value(f));
  out += "\n[steps]\n";
  for (const auto &[s, summary] : steps)
    line(key(s), quote(summary));
  return out;
}

} // namespace seam::pack
