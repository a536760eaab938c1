// Loading plugins (Boost.DLL): finding a library on the search path, the
// refusal of libraries that are not (or not compatible) seam plugins, and
// what a plugin declares (steps, resource kinds, schemas). The calls into a
// loaded plugin are in plugin_calls.cpp.
#include "seam/core/host/plugin_host.hpp"

#include "call_context.hpp"
#include "seam/core/check/schema.hpp"
#include "seam/core/host/elf_check.hpp"
#include "seam/core/host/names.hpp"
#include "seam/core/host/pack/pack_dirs.hpp"

#include <seam/json_read.hpp>

#include <boost/dll/shared_library.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace seam {

namespace fs = std::filesystem;

namespace {

#if defined(__APPLE__)
constexpr const char *kLibSuffix = ".dylib";
#elif defined(_WIN32)
constexpr const char *kLibSuffix = ".dll";
#else
constexpr const char *kLibSuffix = ".so";
#endif

json parse_schema(const char *text, const std::string &what, const std::string &file) {
  if (!text)
    return json();
  try {
    json s = read_json(text); // simdjson first: a plugin may declare many schemas
    if (!s.is_object() && !s.is_boolean())
      throw PluginError(file + ": " + what + " is not a JSON Schema object");
    return s;
  } catch (const json::parse_error &e) {
    throw PluginError(file + ": " + what + " is not valid JSON: " + e.what());
  }
}

// The plugin's resource types: the 1.0 single resource_type, or the 1.2 list
// of kinds, checked so that a suite can name each kind unambiguously.
void load_kinds(LoadedPlugin &p, const seam_plugin &d, const std::string &path) {
  const std::string who = path + ": plugin '" + p.name + "'";
  if (d.resource_type && d.resource_types)
    throw PluginError(who + " sets both resource_type and resource_types (list every kind in "
                            "resource_types and leave resource_type NULL)");
  if (d.resource_type_count > 0 && !d.resource_types)
    throw PluginError(who + " declares resource types but gives none");
  std::vector<const seam_resource_type *> raw;
  if (d.resource_type)
    raw.push_back(d.resource_type);
  else if (d.resource_types)
    raw.assign(d.resource_types, d.resource_types + d.resource_type_count);
  p.kinds.reserve(raw.size()); // never resized later: steps point into it
  size_t defaults = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (!raw[i])
      throw PluginError(who + " resource type " + std::to_string(i) + " is NULL");
    ResourceKind k;
    std::memcpy(&k.type, raw[i], std::min(raw[i]->struct_size, sizeof k.type));
    k.name = k.type.kind ? k.type.kind : "";
    if (!k.name.empty() && !is_plugin_name(k.name))
      throw PluginError(
          who + " resource kind '" + k.name +
          "' is not valid (lower-case letters, digits and _, starting with a letter)");
    if (k.name.empty() && ++defaults > 1)
      throw PluginError(who +
                        " has several default resource kinds (kind NULL or \"\"); at most one "
                        "may be the default");
    if (p.kind(k.name))
      throw PluginError(who + " declares resource kind '" + k.label() + "' twice");
    if (!k.type.open || !k.type.close)
      throw PluginError(who + " has a resource type" + (k.name.empty() ? "" : " '" + k.name + "'") +
                        " without open/close");
    k.summary = k.type.summary ? k.type.summary : "";
    std::string what = "resource schema of " + p.name + (k.name.empty() ? "" : " kind " + k.name);
    k.config_schema = parse_schema(k.type.config_schema, what, path);
    k.secret_config = schema_has_secrets(k.config_schema);
    if (k.config_schema.is_object()) {
      if (auto it = k.config_schema.find("x-seam-local-refs"); it != k.config_schema.end()) {
        if (!it->is_array())
          throw PluginError(who + ": \"x-seam-local-refs\" in " + what +
                            " must be an array of names");
        for (const auto &n : *it) {
          if (!n.is_string() || !is_plugin_name(n.get<std::string>()))
            throw PluginError(who + ": \"x-seam-local-refs\" in " + what + " holds " + n.dump() +
                              ", not a name such as \"port\"");
          k.local_refs.push_back(n.get<std::string>());
        }
      }
    }
    k.plugin = &p;
    p.kinds.push_back(std::move(k));
  }
}

} // namespace

const ResourceKind *LoadedPlugin::kind(std::string_view name) const {
  for (const auto &k : kinds)
    if (k.name == name)
      return &k;
  return nullptr;
}

const ResourceKind *LoadedPlugin::default_kind() const {
  if (const ResourceKind *k = kind(""))
    return k;
  return kinds.size() == 1 ? &kinds.front() : nullptr;
}

std::string LoadedPlugin::kind_list() const {
  std::string out;
  for (const auto &k : kinds)
    out += (out.empty() ? "" : ", ") + k.label();
  return out;
}

PluginHost::PluginHost(std::vector<std::string> search_path, Secrets &secrets)
    : search_path_(std::move(search_path)), secrets_(secrets) {}

PluginHost::~PluginHost() {
  // Libraries stay mapped until the process ends (see load()); only their
  // state is shut down here, in reverse order of loading.
  for (auto it = plugins_.rbegin(); it != plugins_.rend(); ++it) {
    if ((*it)->shutdown)
      (*it)->shutdown((*it)->state);
  }
}

std::string PluginHost::library_file(const std::string &dir, const std::string &name) const {
  return (fs::path(dir) / ("seam-" + name + kLibSuffix)).string();
}

std::vector<std::string> PluginHost::available() const {
  std::vector<std::string> names;
  const std::string prefix = "seam-";
  for (const auto &dir : search_path_) {
    std::error_code ec;
    for (const auto &e : fs::directory_iterator(dir, ec)) {
      std::string f = e.path().filename().string();
      if (f.rfind(prefix, 0) == 0 && e.path().extension() == kLibSuffix) {
        std::string n = f.substr(prefix.size(), f.size() - prefix.size() - std::strlen(kLibSuffix));
        if (std::find(names.begin(), names.end(), n) == names.end())
          names.push_back(n);
      }
    }
  }
  for (const auto &[n, p] : by_name_)
    if (std::find(names.begin(), names.end(), n) == names.end())
      names.push_back(n);
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<const LoadedPlugin *> PluginHost::loaded() const {
  std::vector<const LoadedPlugin *> v;
  for (const auto &p : plugins_)
    v.push_back(p.get());
  return v;
}

std::vector<std::string> PluginHost::path_libraries(const std::string &name) const {
  std::vector<std::string> files;
  for (const auto &dir : search_path_) {
    std::string file = library_file(dir, name);
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
      continue;
    // One directory named twice (or a link to the same file) is no clash.
    bool same = false;
    for (const auto &f : files)
      same = same || fs::equivalent(f, file, ec);
    if (!same)
      files.push_back(file);
  }
  return files;
}

const LoadedPlugin *PluginHost::find(const std::string &name) {
  if (auto it = by_name_.find(name); it != by_name_.end())
    return it->second;
  // Which file provides a name must not depend on the order of the path: two
  // different libraries for one name are an error, never a silent choice.
  std::vector<std::string> files = path_libraries(name);
  if (files.empty())
    return nullptr;
  if (files.size() > 1) {
    std::string list;
    for (size_t i = 0; i < files.size(); ++i)
      list += (i == 0 ? "" : i + 1 == files.size() ? " and " : ", ") + files[i];
    throw PluginError("plugin '" + name + "' is provided by " + std::to_string(files.size()) +
                      " libraries on the search path: " + list +
                      " (remove all but one, or choose one with --plugin FILE)");
  }
  return &load(files.front(), &name);
}

const LoadedPlugin &PluginHost::load_file(const std::string &path) {
  std::error_code ec;
  if (!fs::exists(path, ec))
    throw PluginError("cannot load plugin " + path + ": no such file");
  // The same library named twice is loaded once.
  for (const auto &p : plugins_)
    if (fs::equivalent(p->file, path, ec))
      return *p;
  return load(path, nullptr);
}

const LoadedPlugin &PluginHost::load(const std::string &path, const std::string *expected_name) {
  // RTLD_NODELETE: a plugin's code stays mapped until the process ends, so no
  // pointer into it (a descriptor, a string, a thread) can ever dangle.
  auto mode = static_cast<boost::dll::load_mode::type>(RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  // A file cut short or built for another machine would crash dlopen (SIGBUS)
  // or be reported wrongly: such files are refused with what they are.
  if (auto problem = elf_library_problem(path))
    throw PluginError(path + ": " + *problem);
  // dlopen first, directly: its own message is the one to show (Boost's adds
  // a stale errno). Boost then opens the same, already loaded, library.
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  const std::string absolute = ec ? path : abs.string();
  if (!::dlopen(absolute.c_str(), static_cast<int>(mode))) {
    const char *why = dlerror();
    throw PluginError(path + ": cannot load: " +
                      clean_dlerror(absolute, why ? why : "unknown dynamic loader error"));
  }
  boost::dll::shared_library lib;
  try {
    lib.load(boost::dll::fs::path(absolute), mode);
  } catch (const std::exception &e) {
    const char *why = dlerror();
    throw PluginError(path + ": cannot load: " + clean_dlerror(absolute, why ? why : e.what()));
  }
  if (!lib.has(SEAM_PLUGIN_ENTRY_NAME)) {
    // A plugin of another ABI major names its entry after that major.
    for (int major = 0; major <= 16; ++major) {
      if (major == SEAM_ABI_MAJOR)
        continue;
      std::string sym = "seam_plugin_entry_v" + std::to_string(major);
      if (lib.has(sym))
        throw PluginError(path + ": plugin built for seam plugin ABI " + std::to_string(major) +
                          ", but this seam speaks ABI " + std::to_string(SEAM_ABI_MAJOR) + "." +
                          std::to_string(SEAM_ABI_MINOR) + " (found " + sym +
                          "; rebuild the plugin against this seam's SDK)");
    }
    throw PluginError(path + ": no entry symbol " SEAM_PLUGIN_ENTRY_NAME
                             " (not a seam plugin? plugins define it with SEAM_PLUGIN or "
                             "export it from C)");
  }
  auto entry = lib.get<const seam_plugin *()>(SEAM_PLUGIN_ENTRY_NAME);
  const seam_plugin *raw = entry();
  if (!raw)
    throw PluginError(path + ": " SEAM_PLUGIN_ENTRY_NAME " returned no descriptor");

  // Copy what the plugin declares into a zeroed struct of our own size, so a
  // shorter (older) descriptor reads as zeros in the fields it lacks.
  seam_plugin d{};
  std::memcpy(&d, raw, std::min(raw->struct_size, sizeof d));
  if (raw->struct_size < offsetof(seam_plugin, step_count) + sizeof(size_t))
    throw PluginError(path + ": plugin descriptor too small (" + std::to_string(raw->struct_size) +
                      " bytes)");
  // ABI 1.2: no name but a summary is how a plugin says it could not build
  // its descriptor (the C++ wrapper caught an exception); the summary says why.
  if (!d.name && d.summary)
    throw PluginError(path + ": the plugin failed to describe itself: " + d.summary);
  std::string abi = std::to_string(d.abi_major) + "." + std::to_string(d.abi_minor);
  std::string host_abi = std::to_string(SEAM_ABI_MAJOR) + "." + std::to_string(SEAM_ABI_MINOR);
  std::string pname = d.name ? d.name : "";
  if (d.abi_major != SEAM_ABI_MAJOR)
    throw PluginError(path + ": plugin '" + pname + "' declares ABI " + abi +
                      ", but this seam speaks ABI " + host_abi +
                      " (rebuild the plugin against this seam's SDK)");
  if (d.abi_minor > SEAM_ABI_MINOR)
    throw PluginError(path + ": plugin '" + pname + "' needs ABI " + abi +
                      ", but this seam speaks ABI " + host_abi + " (upgrade seam)");
  if (!is_plugin_name(pname))
    throw PluginError(path + ": plugin name '" + pname +
                      "' is not valid (lower-case letters, digits and _, starting with a letter)");
  if (!d.version)
    throw PluginError(path + ": plugin '" + pname + "' has no version");
  if (expected_name && pname != *expected_name)
    throw PluginError(path + ": file is named for plugin '" + *expected_name +
                      "' but the plugin calls itself '" + pname + "'");
  if (auto it = by_name_.find(pname); it != by_name_.end())
    throw PluginError("duplicate plugin name '" + pname + "': " + it->second->file + " and " +
                      path);

  auto p = std::make_unique<LoadedPlugin>();
  p->name = pname;
  p->version = d.version;
  p->summary = d.summary ? d.summary : "";
  p->file = path;
  p->abi_major = d.abi_major;
  p->abi_minor = d.abi_minor;
  p->shutdown = d.shutdown;
  std::map<std::string, std::string> step_kinds; // step -> seam_step.resource_kind
  if (d.step_count > 0 && !d.steps)
    throw PluginError(path + ": plugin '" + pname + "' declares steps but gives none");
  for (size_t i = 0; i < d.step_count; ++i) {
    const seam_step *rs = d.steps[i];
    if (!rs)
      throw PluginError(path + ": plugin '" + pname + "' step " + std::to_string(i) + " is NULL");
    seam_step s{};
    std::memcpy(&s, rs, std::min(rs->struct_size, sizeof s));
    if (rs->struct_size < offsetof(seam_step, run) + sizeof(s.run) || !s.name || !s.run)
      throw PluginError(path + ": plugin '" + pname + "' step " + std::to_string(i) +
                        " lacks a name or run function");
    std::string sname = s.name;
    // Step names may group steps by the object they work on, as APIs do:
    // "payment_intents.create" (the suite says use = "stripe.payment_intents.create").
    if (!is_step_name(sname))
      throw PluginError(path + ": plugin '" + pname + "' step name '" + sname +
                        "' is not valid (lower-case words of letters, digits and _, joined by "
                        "dots: \"query\", \"payment_intents.create\")");
    if (p->steps.count(sname))
      throw PluginError(path + ": step name reused: plugin '" + pname + "' declares '" + sname +
                        "' twice");
    StepInfo info;
    info.full_name = pname + "." + sname;
    info.name = sname;
    info.summary = s.summary ? s.summary : "";
    info.input_schema = parse_schema(s.input_schema, "input schema of " + info.full_name, path);
    info.secrets = secret_inputs_of(info.input_schema);
    info.whole_input_check =
        info.input_schema.is_object() && !schema_checks_per_property(info.input_schema);
    info.output_schema = parse_schema(s.output_schema, "output schema of " + info.full_name, path);
    info.run = s.run;
    info.data = s.data;
    info.resource = s.resource;
    p->steps.emplace(sname, std::move(info));
    step_kinds.emplace(sname, s.resource_kind ? s.resource_kind : "");
  }
  load_kinds(*p, d, path);
  for (auto &[sname, info] : p->steps) {
    const std::string &want = step_kinds[sname];
    if (info.resource == SEAM_RESOURCE_NONE || p->kinds.empty())
      continue;
    info.kind = want.empty() ? &p->kinds.front() : p->kind(want);
    if (!info.kind)
      throw PluginError(path + ": plugin '" + pname + "' step '" + sname +
                        "' works on resource kind '" + want +
                        "', which the plugin does not declare (it has: " + p->kind_list() + ")");
  }
  if (d.init) {
    seam_ctx ctx(nullptr, &secrets_, jobs_);
    void *state = nullptr;
    seam_status st = d.init(&host_api(), &ctx, &state);
    if (st != SEAM_OK)
      throw PluginError(path + ": plugin '" + pname + "' failed to start: " +
                        secrets_.mask(ctx.has_error ? ctx.error : "no reason given"));
    p->state = state;
  }
  for (auto &[n, s] : p->steps)
    s.plugin = p.get();
  LoadedPlugin *raw_p = p.get();
  by_name_[pname] = raw_p;
  plugins_.push_back(std::move(p));
  // Deliberately never unloaded (see RTLD_NODELETE above).
  static std::vector<boost::dll::shared_library> keep;
  keep.push_back(std::move(lib));
  return *raw_p;
}

std::vector<std::string> default_search_path(const std::vector<std::string> &cli_dirs,
                                             const std::string &exe_dir) {
  std::vector<std::string> path = cli_dirs;
  if (const char *env = std::getenv("SEAM_PLUGIN_PATH")) {
    std::string s = env;
    size_t start = 0;
    while (start <= s.size()) {
      size_t end = s.find(':', start);
      if (end == std::string::npos)
        end = s.size();
      if (end > start)
        path.push_back(s.substr(start, end - start));
      start = end + 1;
    }
  }
  // Installed packs (docs/packs.md), the user's before the system's; then
  // the plugins that come with seam.
  pack::PackRoots roots = pack::PackRoots::find(exe_dir);
  for (const auto &root : {roots.user, roots.system})
    for (auto &dir : pack::PackRoots::library_dirs(root))
      path.push_back(std::move(dir));
  if (!exe_dir.empty())
    path.push_back(roots.bundled);
  return path;
}

} // namespace seam
