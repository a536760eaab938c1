// The plugin listing commands; see plugin_list.hpp.
#include "plugin_list.hpp"

#include "seam/core/host/pack/catalog.hpp"
#include "seam/core/host/pack/describe.hpp"
#include "seam/core/host/pack/pack_error.hpp"
#include "seam/core/host/plugin_host.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

namespace seam::cli {

namespace fs = std::filesystem;
using pack::PackError;

void describe_command(int argc, char **argv) {
  // The child's side of describe_library(): the plugin's own output (stdout
  // of its init, if any) must not mix with the answer, so the answer goes to
  // the pipe and stdout to /dev/null.
  int answer = ::dup(1);
  int null = ::open("/dev/null", O_WRONLY);
  if (null >= 0) {
    ::dup2(null, 1);
    ::close(null);
  }
  std::string library = argc > 2 ? argv[2] : "";
  std::string expect = argc > 4 && std::string(argv[3]) == "--expect" ? argv[4] : "";
  nlohmann::json out;
  try {
    Secrets secrets;
    PluginHost host({}, secrets);
    const LoadedPlugin &p = host.load_file(library);
    if (!expect.empty() && p.name != expect)
      throw PluginError(library + ": file is named for plugin '" + expect +
                        "' but the plugin calls itself '" + p.name + "'");
    out = pack::describe_json(p);
  } catch (const std::exception &e) {
    out = {{"error", e.what()}};
  }
  std::string text = out.dump() + "\n";
  ssize_t ignored = ::write(answer, text.data(), text.size());
  (void)ignored;
  ::close(answer);
  // The plugin's state is not shut down: the child only looked.
  std::fflush(nullptr);
  ::_exit(out.contains("error") ? 3 : 0);
}

int list_plugins(PluginHost &host, const std::vector<std::string> &refused,
                 const std::string &exe) {
  // Every library is listed, a refused one does not hide the others; any
  // refusal makes the exit code 3, so that CI notices a broken install.
  int status = refused.empty() ? 0 : 3;
  for (const auto &why : refused)
    std::printf("%-10s refused: %s\n", "--plugin", why.c_str());
  auto entries =
      pack::catalog(host, pack::PackRoots::find(fs::path(exe).parent_path().string()), exe);
  if (entries.empty())
    std::printf("no plugins found in %s\n", host.search_path().empty()
                                                ? "(empty search path)"
                                                : host.search_path().front().c_str());
  for (const auto &e : entries) {
    if (!e.problem.empty()) {
      std::printf("%-10s refused: %s\n", e.name.c_str(), e.problem.c_str());
      status = 3;
      continue;
    }
    std::printf("%-10s %-8s %-3zu steps  %s\n           ABI %s, %s: %s\n", e.name.c_str(),
                e.version.c_str(), e.steps, e.summary.c_str(), e.abi.c_str(),
                pack::origin_name(e.origin), e.file.c_str());
  }
  return status;
}

void print_pack_docs(const LoadedPlugin &p) {
  std::optional<pack::FoundManifest> found;
  try {
    found = pack::manifest_for(p.file);
  } catch (const PackError &) {
    return;
  }
  if (!found || (found->manifest.docs.empty() && found->manifest.examples.empty()))
    return;
  const auto &m = found->manifest;
  std::printf("  pack: %s\n", found->root.c_str());
  if (!m.license.empty())
    std::printf("  license: %s\n", m.license.c_str());
  if (!m.homepage.empty())
    std::printf("  homepage: %s\n", m.homepage.c_str());
  if (!m.docs.empty()) {
    std::printf("  docs:\n");
    for (const auto &d : m.docs)
      std::printf("    %s/%s\n", found->root.c_str(), d.path.c_str());
  }
  if (!m.examples.empty()) {
    std::printf("  example suites (seam run FILE):\n");
    for (const auto &x : m.examples)
      std::printf("    %s/%s\n", found->root.c_str(), x.path.c_str());
  }
}

} // namespace seam::cli
