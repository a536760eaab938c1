// `seam new plugin NAME [--lang cpp|c] [DIR]`: writes a plugin project from
// the templates compiled into seam (sdk/templates): a CMake project on
// find_package(Seam), one step with its schema and a resource, a unit test
// on seam/testing.hpp, an example suite, a pack manifest and a CI workflow.
#include "new_plugin.hpp"

#include "seam/core/host/pack/manifest.hpp"

#include <boost/program_options.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace seam::cli {

namespace {

struct TemplateFile {
  std::string_view set; // "common", "cpp" or "c"
  std::string_view path;
  std::string_view text;
};

#include "templates.inc"

namespace po = boost::program_options;
namespace fs = std::filesystem;

std::string replace_all(std::string_view text, std::string_view what, const std::string &with) {
  std::string out;
  size_t at = 0;
  while (true) {
    size_t next = text.find(what, at);
    out.append(text.substr(at, next == std::string_view::npos ? text.npos : next - at));
    if (next == std::string_view::npos)
      return out;
    out += with;
    at = next + what.size();
  }
}

int usage(const std::string &msg, const std::string &hint) {
  std::fprintf(stderr, "error: %s\n  hint: %s\n", msg.c_str(), hint.c_str());
  return 2;
}

} // namespace

int run_new_command(int argc, char **argv) {
  const std::string form = "seam new plugin NAME [--lang cpp|c] [DIR]";
  po::options_description o;
  o.add_options()("lang", po::value<std::string>()->default_value("cpp"),
                  "")("args", po::value<std::vector<std::string>>()->composing(), "")("help,h", "");
  po::positional_options_description pos;
  pos.add("args", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc - 1, argv + 1).options(o).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error &e) {
    return usage(e.what(), form);
  }
  std::vector<std::string> args;
  if (vm.count("args"))
    args = vm["args"].as<std::vector<std::string>>();
  if (vm.count("help")) {
    std::printf("Usage: %s\n  writes a plugin project into DIR (default: ./NAME)\n", form.c_str());
    return 0;
  }
  // The parser took "new" for the program's name: args are plugin NAME [DIR].
  if (args.size() < 2 || args.size() > 3 || args[0] != "plugin")
    return usage("seam new takes: plugin NAME [DIR]", form);
  const std::string name = args[1];
  if (auto problem = pack::plugin_name_problem(name))
    return usage(*problem, "the name becomes seam-NAME.so and the steps' prefix: " + form);
  const std::string lang = vm["lang"].as<std::string>();
  if (lang != "cpp" && lang != "c")
    return usage("--lang must be cpp or c, not '" + lang + "'", form);
  fs::path dir = args.size() == 3 ? fs::path(args[2]) : fs::path(name);
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec))
    return usage(dir.string() + " exists and is not empty",
                 "give a new directory, or an empty one: " + form);

  size_t written = 0;
  for (const auto &t : kTemplates) {
    if (t.set != "common" && t.set != lang)
      continue;
    fs::path file = dir / replace_all(t.path, "@NAME@", name);
    fs::create_directories(file.parent_path(), ec);
    std::ofstream out(file, std::ios::binary);
    out << replace_all(t.text, "@NAME@", name);
    out.close();
    if (!out) {
      std::fprintf(stderr, "error: cannot write %s\n", file.c_str());
      return 15;
    }
    ++written;
  }
  std::printf("wrote a %s plugin '%s' in %s (%zu files)\n"
              "next: cmake -S %s -B %s/build && cmake --build %s/build && "
              "ctest --test-dir %s/build\n",
              lang == "c" ? "C" : "C++", name.c_str(), dir.c_str(), written, dir.c_str(),
              dir.c_str(), dir.c_str(), dir.c_str());
  return 0;
}

} // namespace seam::cli
