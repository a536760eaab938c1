// A table's keys as the loader reads them: a key no table of that kind has
// (with the nearest one it has), and values that must be a string, an array
// of tags or a duration, with the error a value of another type gets.
#include "loader_state.hpp"

#include <algorithm>

namespace seam::loading {

void Loader::check_keys(const toml::table &t, const std::vector<std::string> &allowed,
                        const std::string &what) {
  for (auto &&[k, v] : t) {
    std::string key(k.str());
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end())
      continue;
    std::string near = closest(key, allowed);
    std::string known;
    for (auto &a : allowed)
      known += (known.empty() ? "" : ", ") + a;
    error(loc(k), "unknown key '" + key + "' in " + what,
          near.empty() ? "allowed keys: " + known : "did you mean '" + near + "'?");
  }
}

std::optional<std::string> Loader::get_string(const toml::table &t, std::string_view key,
                                              const std::string &what) {
  const toml::node *n = t.get(key);
  if (!n)
    return std::nullopt;
  if (!n->is_string()) {
    error(loc(*n),
          "'" + std::string(key) + "' in " + what + " must be a string, not " + type_name(*n));
    return std::nullopt;
  }
  return n->as_string()->get();
}

std::vector<std::string> Loader::get_tags(const toml::table &t, const std::string &what) {
  std::vector<std::string> tags;
  const toml::node *n = t.get("tags");
  if (!n)
    return tags;
  const toml::array *a = n->as_array();
  if (!a) {
    error(loc(*n), "'tags' in " + what + " must be an array of strings",
          "tags = [\"smoke\", \"orders\"]");
    return tags;
  }
  for (auto &&e : *a) {
    if (!e.is_string())
      error(loc(e), "tags must be strings, not " + type_name(e));
    else
      tags.push_back(e.as_string()->get());
  }
  return tags;
}

std::optional<Micros> Loader::get_duration(const toml::table &t, std::string_view key,
                                           const std::string &what) {
  const toml::node *n = t.get(key);
  if (!n)
    return std::nullopt;
  const std::string hint = "write a duration with a unit: \"500ms\", \"2s\", \"1.5s\", \"1m\"";
  if (!n->is_string()) {
    error(loc(*n),
          "bad duration for '" + std::string(key) + "' in " + what + ": " + type_name(*n) +
              " has no unit",
          hint);
    return std::nullopt;
  }
  auto d = read_duration(n->as_string()->get());
  if (!d.value) {
    error(loc(*n),
          "bad duration '" + n->as_string()->get() + "' for '" + std::string(key) + "' in " + what +
              (d.too_long ? ": it " + d.reason : ""),
          d.too_long ? "write a shorter one, at most \"87660h\"" : hint);
    return std::nullopt;
  }
  return *d.value;
}

} // namespace seam::loading
