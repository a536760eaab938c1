#include "seam/core/secrets.hpp"

#include <algorithm>

namespace seam {

void Secrets::add(std::string_view value) {
  if (value.empty())
    return;
  std::lock_guard lock(mu_);
  if (std::find(values_.begin(), values_.end(), value) != values_.end())
    return;
  values_.emplace_back(value);
  // Longest first, so a secret that contains another is masked whole.
  std::sort(values_.begin(), values_.end(),
            [](const std::string &a, const std::string &b) { return a.size() > b.size(); });
  count_.store(values_.size(), std::memory_order_release);
}

void Secrets::mask_in_place(std::string &text) const {
  if (empty())
    return;
  std::lock_guard lock(mu_);
  for (const auto &s : values_) {
    for (size_t pos = text.find(s); pos != std::string::npos; pos = text.find(s, pos + 3))
      text.replace(pos, s.size(), "***");
  }
}

std::string Secrets::mask(std::string_view text) const {
  std::string out(text);
  mask_in_place(out);
  return out;
}

nlohmann::json Secrets::mask_json(const nlohmann::json &value) const {
  if (empty())
    return value;
  switch (value.type()) {
  case nlohmann::json::value_t::string:
    return mask(value.get_ref<const std::string &>());
  case nlohmann::json::value_t::array: {
    nlohmann::json a = nlohmann::json::array();
    for (const auto &e : value)
      a.push_back(mask_json(e));
    return a;
  }
  case nlohmann::json::value_t::object: {
    nlohmann::json o = nlohmann::json::object();
    for (const auto &[k, v] : value.items())
      o[mask(k)] = mask_json(v);
    return o;
  }
  default: {
    // A number can be a secret too (a PIN); compare its text.
    std::string text = value.dump();
    std::string masked = mask(text);
    return masked == text ? value : nlohmann::json(masked);
  }
  }
}

} // namespace seam
