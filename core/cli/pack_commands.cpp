// `seam pack`, `seam trust` and `seam plugins install|remove|verify`, which
// run in the pack helper (pack_main.cpp): parsing their command lines, calling
// core/host/pack, printing results and errors with their exit codes.
#include "pack_commands.hpp"

#include "seam/core/host/pack/build.hpp"
#include "seam/core/host/pack/install.hpp"
#include "seam/core/host/pack/library_check.hpp"
#include "seam/core/host/pack/pack_error.hpp"
#include "seam/core/host/pack/trust.hpp"
#include "seam/core/host/pack/verify.hpp"

#include <boost/program_options.hpp>

#include <cstdio>
#include <filesystem>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace seam::cli {

namespace {

using pack::PackError;
using pack::Refusal;

const char *kPackUsage = R"(Usage:
  seam pack build DIR [-o OUT]          make NAME-VERSION.seampack from DIR/seam-pack.toml
  seam pack sign PACK --key KEY.pem     sign a pack with an Ed25519 private key
  seam pack manifest LIBRARY [-o FILE]  a library's manifest, as it describes itself
  seam trust add KEY.pub                trust packs signed by this key
  seam trust list                       the trusted keys
  seam plugins install PACK [--system] [--replace] [--downgrade] [--allow-unsigned]
  seam plugins remove NAME [--system]
  seam plugins verify                   re-check the checksums of installed plugins
  seam new plugin NAME [--lang cpp|c] [DIR]
Exit codes: 0 done, 2 command line, 3 library refused, 10 unsafe or broken archive,
11 contents differ from the manifest, 12 signature, 13 incompatible, 14 name or version
conflict, 15 file system error (docs/packs.md).
)";

int usage_error(const std::string &msg, const std::string &hint = {}) {
  std::fprintf(stderr, "error: %s\n", msg.c_str());
  std::fprintf(stderr, "  hint: %s\n", hint.empty() ? "see seam pack --help" : hint.c_str());
  return static_cast<int>(Refusal::Usage);
}

int report(const PackError &e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  if (!e.hint().empty()) {
    std::string hint = e.hint();
    // A hint of several lines keeps its indentation.
    for (size_t at = hint.find('\n'); at != std::string::npos; at = hint.find('\n', at + 9))
      hint.replace(at, 1, "\n        ");
    std::fprintf(stderr, "  hint: %s\n", hint.c_str());
  }
  return e.exit_code();
}

struct Parsed {
  std::vector<std::string> args;
  po::variables_map vm;
};

// Parses ARGV[FROM..] with OPTIONS and positional arguments.
Parsed parse(int argc, char **argv, int from, const po::options_description &options) {
  po::options_description all;
  all.add(options);
  all.add_options()("args", po::value<std::vector<std::string>>()->composing());
  po::positional_options_description pos;
  pos.add("args", -1);
  Parsed p;
  // The parser takes its first element for the program name: the subcommand.
  po::store(
      po::command_line_parser(argc - from + 1, argv + from - 1).options(all).positional(pos).run(),
      p.vm);
  po::notify(p.vm);
  if (p.vm.count("args"))
    p.args = p.vm["args"].as<std::vector<std::string>>();
  return p;
}

std::string exe_dir_of(const std::string &exe) { return fs::path(exe).parent_path().string(); }

int cmd_pack(int argc, char **argv, const std::string &exe) {
  std::string sub = argc > 2 ? argv[2] : "";
  po::options_description o;
  o.add_options()("out,o", po::value<std::string>(), "")("key", po::value<std::string>(),
                                                         "")("if-loadable", "")("help,h", "");
  Parsed p = parse(argc, argv, 3, o);
  if (sub == "--help" || sub == "-h" || sub == "help" || p.vm.count("help")) {
    std::fputs(kPackUsage, stdout);
    return 0;
  }
  if (sub == "build") {
    if (p.args.size() != 1)
      return usage_error("seam pack build takes one directory",
                         "seam pack build DIR -o OUT (DIR holds seam-pack.toml)");
    std::string out = p.vm.count("out") ? p.vm["out"].as<std::string>() : ".";
    auto r = pack::build_pack(p.args[0], out, exe);
    std::printf("built %s: %s %s, %zu step%s, librar%s for %zu platform%s\n", r.file.c_str(),
                r.manifest.name.c_str(), r.manifest.version.str().c_str(), r.manifest.steps.size(),
                r.manifest.steps.size() == 1 ? "" : "s",
                r.manifest.libraries.size() == 1 ? "y" : "ies", r.manifest.libraries.size(),
                r.manifest.libraries.size() == 1 ? "" : "s");
    return 0;
  }
  if (sub == "sign") {
    if (p.args.size() != 1 || !p.vm.count("key"))
      return usage_error("seam pack sign takes a pack and --key",
                         "seam pack sign NAME-VERSION.seampack --key KEY.pem");
    std::string id = pack::sign_pack(p.args[0], p.vm["key"].as<std::string>());
    std::printf("signed %s with key %s\n", p.args[0].c_str(), id.c_str());
    return 0;
  }
  if (sub == "manifest") {
    // --if-loadable: for seam_add_plugin(), which writes one beside every
    // library it builds, including the ones made to be refused.
    if (p.args.size() != 1)
      return usage_error("seam pack manifest takes one library file",
                         "seam pack manifest seam-NAME.so [-o seam-NAME.toml]");
    std::string out = p.vm.count("out") ? p.vm["out"].as<std::string>() : "";
    pack::Manifest m;
    try {
      m = pack::manifest_of_library(p.args[0], exe);
    } catch (const PackError &e) {
      if (!p.vm.count("if-loadable"))
        throw;
      std::error_code ec;
      if (!out.empty())
        fs::remove(out, ec);
      return 0;
    }
    std::string text = m.to_toml();
    if (out.empty()) {
      std::fputs(text.c_str(), stdout);
      return 0;
    }
    std::string tmp = out + ".tmp";
    std::FILE *f = std::fopen(tmp.c_str(), "wb");
    if (!f || std::fwrite(text.data(), 1, text.size(), f) != text.size() || std::fclose(f) != 0)
      throw PackError(Refusal::Io, "cannot write " + out);
    fs::rename(tmp, out);
    return 0;
  }
  return usage_error("unknown command 'pack " + sub + "'",
                     "seam pack build | seam pack sign | seam pack manifest");
}

int cmd_trust(int argc, char **argv) {
  std::string sub = argc > 2 ? argv[2] : "";
  Parsed p = parse(argc, argv, 3, po::options_description());
  if (sub == "add") {
    if (p.args.size() != 1)
      return usage_error("seam trust add takes one public key file", "seam trust add KEY.pub");
    auto k = pack::trust_add(p.args[0]);
    std::printf("trusted key %s (%s)\n", k.id.c_str(), k.file.c_str());
    return 0;
  }
  if (sub == "list") {
    auto keys = pack::trusted_keys();
    if (keys.empty())
      std::printf("no trusted keys in %s\n", pack::trust_dir().c_str());
    for (const auto &k : keys)
      std::printf("%s  %s\n", k.id.c_str(), k.file.c_str());
    return 0;
  }
  return usage_error("unknown command 'trust " + sub + "'",
                     "seam trust add KEY.pub | seam trust list");
}

int cmd_plugins(int argc, char **argv, const std::string &exe) {
  std::string sub = argv[2];
  po::options_description o;
  o.add_options()("system", "")("replace", "")("downgrade", "")("allow-unsigned", "");
  Parsed p = parse(argc, argv, 3, o);
  pack::PackRoots roots = pack::PackRoots::find(exe_dir_of(exe));
  bool system = p.vm.count("system") > 0;
  if (sub == "install") {
    if (p.args.size() != 1)
      return usage_error("seam plugins install takes one pack file",
                         "seam plugins install NAME-VERSION.seampack");
    pack::InstallOptions opt;
    opt.system = system;
    opt.replace = p.vm.count("replace") > 0;
    opt.downgrade = p.vm.count("downgrade") > 0;
    opt.allow_unsigned = p.vm.count("allow-unsigned") > 0;
    opt.seam_exe = exe;
    auto r = pack::install_pack(p.args[0], roots, opt);
    std::string how =
        r.previous ? (*r.previous == r.manifest.version.str() ? "reinstalled"
                                                              : "replaced " + *r.previous + " with")
                   : "installed";
    std::string sig = !r.signer.empty() ? "signed by trusted key " + r.signer
                      : r.was_signed    ? "signed by an untrusted key, accepted by --allow-unsigned"
                                        : "unsigned, accepted by --allow-unsigned";
    std::printf("%s %s %s in %s (%s)\n", how.c_str(), r.manifest.name.c_str(),
                r.manifest.version.str().c_str(), r.dir.c_str(), sig.c_str());
    return 0;
  }
  if (sub == "remove") {
    if (p.args.size() != 1)
      return usage_error("seam plugins remove takes one pack name", "seam plugins remove NAME");
    std::string dir = pack::remove_pack(p.args[0], roots, system);
    std::printf("removed %s (%s)\n", p.args[0].c_str(), dir.c_str());
    return 0;
  }
  // verify
  std::vector<std::string> checked;
  auto problems = pack::verify_installed(roots, &checked);
  for (const auto &c : checked)
    std::printf("checked %s\n", c.c_str());
  for (const auto &pr : problems)
    std::fprintf(stderr, "error: %s: %s\n", pr.pack.c_str(), pr.message.c_str());
  if (!problems.empty()) {
    std::fprintf(stderr, "  hint: reinstall the pack (seam plugins install --replace PACK)\n");
    return static_cast<int>(Refusal::Contents);
  }
  std::printf("%zu plugin%s OK\n", checked.size(), checked.size() == 1 ? "" : "s");
  return 0;
}

} // namespace

int run_pack_command(int argc, char **argv, const std::string &exe) {
  std::string first = argv[1];
  try {
    if (first == "pack")
      return cmd_pack(argc, argv, exe);
    if (first == "trust")
      return cmd_trust(argc, argv);
    return cmd_plugins(argc, argv, exe);
  } catch (const PackError &e) {
    return report(e);
  } catch (const po::error &e) {
    return usage_error(e.what());
  }
}

} // namespace seam::cli
