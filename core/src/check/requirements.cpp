// Checking a suite's `requires` against the plugins seam finds.
#include "seam/core/check/requirements.hpp"
#include "seam/core/host/pack/semver.hpp"
#include "seam/core/host/plugin_host.hpp"

namespace seam {

void check_requirements(const Suite &suite, PluginHost &host, std::vector<Diagnostic> &errors) {
  for (const auto &r : suite.requirements) {
    std::string why;
    auto range = pack::Range::parse(r.range, &why);
    if (!range) {
      errors.push_back({r.loc, "requires." + r.plugin + ": " + why, ""});
      continue;
    }
    const std::string wanted = r.plugin + " " + range->text();
    const std::string install = "install one: seam plugins install " + r.plugin +
                                "-VERSION.seampack" +
                                " (docs/packs.md), or add its directory with --plugin-path";
    const LoadedPlugin *p = host.find(r.plugin);
    if (!p) {
      errors.push_back(
          {r.loc, "the suite requires plugin " + wanted + ", which is not installed", install});
      continue;
    }
    auto version = pack::Version::parse(p->version, &why);
    if (!version) {
      errors.push_back({r.loc,
                        "the suite requires plugin " + wanted + ", but the installed " + p->name +
                            " (" + p->file + ") has version '" + p->version +
                            "', which is not a SemVer version",
                        "ask its vendor for a version such as 1.2.0"});
      continue;
    }
    if (!range->contains(*version))
      errors.push_back({r.loc,
                        "the suite requires plugin " + wanted + ", but " + p->name + " " +
                            p->version + " is installed (" + p->file + ")",
                        "install a version in " + range->text() + ": seam plugins install " +
                            r.plugin + "-VERSION.seampack --replace (or --downgrade)"});
  }
}

} // namespace seam
