// Helpers shared by the core's unit tests.
#pragma once

#include "seam/core/model/interpolate.hpp"

#include <map>
#include <memory>
#include <string>

namespace seam::test {

// Resolves `${root.path}` from a map of roots, walking the path like the
// runner does. Counts lookups so tests can see what was asked.
class MapResolver : public Resolver {
public:
  MapResolver() = default;
  MapResolver(std::initializer_list<std::pair<const std::string, json>> v) : values(v) {}

  std::optional<json> lookup(const Ref &ref) const override {
    ++lookups;
    auto it = values.find(ref.root);
    if (it == values.end())
      return std::nullopt;
    const json *found = ref.path.find(it->second);
    if (!found)
      return std::nullopt;
    return *found;
  }

  std::map<std::string, json> values;
  mutable int lookups = 0;
};

// A source file for locations, in whatever form SourceLoc::file takes.
template <class F = SourceFile> auto source(std::string path, std::string text) {
  if constexpr (requires { F::intern(std::string(), std::string()); }) {
    return F::intern(std::move(path), std::move(text));
  } else {
    auto f = std::make_shared<F>();
    f->path = std::move(path);
    f->text = std::move(text);
    return std::shared_ptr<const F>(std::move(f));
  }
}

} // namespace seam::test
