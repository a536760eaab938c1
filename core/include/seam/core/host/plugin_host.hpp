// Finds, loads and calls plugins through the C ABI in seam/plugin.h.
#pragma once

#include "seam/core/base/diagnostics.hpp"
#include "seam/core/base/secrets.hpp"
#include "seam/core/check/schema.hpp"

#include <seam/plugin.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace seam {

using json = nlohmann::json;
struct LoadedPlugin;
struct ResourceKind;

struct StepInfo {
  std::string full_name; // "sql.query"
  std::string name;      // "query"
  std::string summary;
  json input_schema;    // null: any object
  json output_schema;   // null: undocumented
  SecretInputs secrets; // which inputs the schema marks x-seam-secret
  // An input with interpolated parts is checked whole at run time (not only
  // the properties that hold references): see schema_checks_per_property.
  bool whole_input_check = false;
  seam_step_run_fn run = nullptr;
  void *data = nullptr;
  seam_resource_use resource = SEAM_RESOURCE_NONE;
  // The kind of resource it works on (seam_step.resource_kind; NULL there is
  // the plugin's first kind). nullptr: no resource, or a plugin without any.
  const ResourceKind *kind = nullptr;
  const LoadedPlugin *plugin = nullptr;
};

// One kind of resource a plugin opens (seam_resource_type): a suite picks it
// with `kind = "NAME"` in [resources.X]; "" is the plugin's default kind.
struct ResourceKind {
  std::string name;
  std::string summary;
  seam_resource_type type{};
  json config_schema;
  bool secret_config = false; // the config schema marks something x-seam-secret
  // Names the plugin resolves itself inside the resource's own table
  // ("x-seam-local-refs": ["port"] lets a process resource write
  // `--port=${port.http}` for a port it allocates): seam leaves those
  // references as written.
  std::vector<std::string> local_refs;
  bool is_local(const std::string &root) const {
    for (const auto &n : local_refs)
      if (n == root)
        return true;
    return false;
  }
  const LoadedPlugin *plugin = nullptr;
  // How messages name it: the name, or "(default)".
  std::string label() const { return name.empty() ? "(default)" : name; }
};

struct LoadedPlugin {
  std::string name, version, summary;
  std::string file;
  uint32_t abi_major = 0, abi_minor = 0;
  void *state = nullptr;
  std::vector<ResourceKind> kinds; // in the plugin's order; never resized after loading
  std::map<std::string, StepInfo> steps;
  void (*shutdown)(void *) = nullptr;

  bool has_resources() const { return !kinds.empty(); }
  // The kind of that name (nullptr: none).
  const ResourceKind *kind(std::string_view name) const;
  // The kind a [resources.X] table without `kind` opens: the unnamed kind, or
  // the only one. nullptr when the suite must say which.
  const ResourceKind *default_kind() const;
  // "client, mock, webhook" (for hints).
  std::string kind_list() const;
};

struct LogLine {
  seam_log_level level;
  std::string text;
};

// How a plugin call ended. Unavailable: a dependency of the plugin cannot be
// reached (SEAM_UNAVAILABLE, or an older plugin's "unavailable:" message).
enum class CallStatus { Ok, Error, Unavailable };

// What one plugin call produced.
struct CallResult {
  CallStatus status = CallStatus::Error;
  std::string output; // JSON text
  std::string error;  // without any "unavailable:" prefix
  std::vector<LogLine> logs;

  bool ok() const { return status == CallStatus::Ok; }
};

// Limits of one call: its deadline and the run's interrupt flag.
struct CallLimits {
  std::optional<std::chrono::steady_clock::time_point> deadline;
  const std::atomic<bool> *interrupted = nullptr;
  const std::string *test_id = nullptr; // the test the call belongs to, if any
};

class PluginHost {
public:
  // `search_path`: directories tried in order for seam-NAME.so.
  PluginHost(std::vector<std::string> search_path, Secrets &secrets);
  ~PluginHost();
  PluginHost(const PluginHost &) = delete;
  PluginHost &operator=(const PluginHost &) = delete;

  // Loads one library explicitly (--plugin FILE). Throws PluginError.
  const LoadedPlugin &load_file(const std::string &path);

  // The plugin NAME: already loaded, or seam-NAME.so from the search path.
  // nullptr when no such file exists; throws PluginError when it is refused.
  const LoadedPlugin *find(const std::string &name);

  // The distinct files seam-NAME.so on the search path, in its order (the
  // same file reached twice counts once). More than one makes find() refuse.
  std::vector<std::string> path_libraries(const std::string &name) const;

  // Names of the plugin libraries on the search path (not loaded).
  std::vector<std::string> available() const;
  const std::vector<std::string> &search_path() const { return search_path_; }
  std::vector<const LoadedPlugin *> loaded() const;

  // Calls a step. `input` is JSON text of an object.
  CallResult call(const StepInfo &step, void *resource, std::string_view input,
                  const CallLimits &limits);
  // Opens a resource of that kind; on success *handle is set and output
  // holds attributes. `config` is the table without `plugin` and `kind`.
  CallResult open_resource(const ResourceKind &kind, const std::string &name,
                           std::string_view config, const CallLimits &limits, void **handle);
  // Closes through close_with_context when the kind has one: its logs and
  // output are the result (what the report shows of the close).
  CallResult close_resource(const ResourceKind &kind, void *handle, const CallLimits &limits);
  // Per-test hooks (only when the kind's resource type has them).
  CallResult test_begin(const ResourceKind &kind, void *handle, const std::string &test_id,
                        const CallLimits &limits);
  void test_end(const ResourceKind &kind, void *handle, const std::string &test_id);

  // seam_host_api.match, also used by tests: 1 holds, 0 not, -1 malformed.
  static int match(std::string_view expect, std::string_view document, std::string *why);

  // What plugins are told of the run's parallelism (seam_host_api.jobs).
  void set_jobs(uint32_t jobs) { jobs_ = jobs > 0 ? jobs : 1; }
  uint32_t jobs() const { return jobs_; }

private:
  std::string library_file(const std::string &dir, const std::string &name) const;
  const LoadedPlugin &load(const std::string &path, const std::string *expected_name);

  std::vector<std::string> search_path_;
  Secrets &secrets_;
  std::vector<std::unique_ptr<LoadedPlugin>> plugins_;
  std::map<std::string, LoadedPlugin *> by_name_;
  uint32_t jobs_ = 1;
};

// The default search path: --plugin-path dirs, SEAM_PLUGIN_PATH, then the
// install's lib/seam/plugins next to the executable.
std::vector<std::string> default_search_path(const std::vector<std::string> &cli_dirs,
                                             const std::string &exe_dir);

} // namespace seam
