#include "seam/core/base/secrets.hpp"
#include "seam/core/base/secret_forms.hpp"

#include <algorithm>
#include <vector>

namespace seam {

void Secrets::add(std::string_view value) {
  if (value.empty())
    return;
  // A secret reaches output in other forms too: quoted in a JSON message,
  // URL-encoded in a query, in base64 inside a credential (secret_forms.hpp).
  std::vector<std::string> forms = secret_forms(value);
  std::unique_lock lock(mu_);
  bool added = false;
  auto keep = [&](std::string_view v) {
    if (std::find(values_.begin(), values_.end(), v) != values_.end())
      return;
    values_.emplace_back(v);
    added = true;
  };
  keep(value);
  for (const auto &form : forms)
    keep(form);
  if (!added)
    return;
  // Longest first, so a secret that contains another is masked whole.
  std::sort(values_.begin(), values_.end(),
            [](const std::string &a, const std::string &b) { return a.size() > b.size(); });
  count_.store(values_.size(), std::memory_order_release);
  lock.unlock();
  if (on_add_)
    on_add_(value);
}

void Secrets::mask_in_place(std::string &text) const {
  if (empty())
    return;
  // Mark every byte any secret covers in the original text, then replace each
  // run of marked bytes by one "***": overlapping secrets ("pass1234" and
  // "1234word" in "pass1234word") leave no part of either visible.
  std::vector<bool> covered;
  {
    std::lock_guard lock(mu_);
    for (const auto &s : values_) {
      for (size_t pos = text.find(s); pos != std::string::npos; pos = text.find(s, pos + 1)) {
        if (covered.empty())
          covered.assign(text.size(), false);
        std::fill(covered.begin() + static_cast<std::ptrdiff_t>(pos),
                  covered.begin() + static_cast<std::ptrdiff_t>(pos + s.size()), true);
      }
    }
  }
  if (covered.empty())
    return;
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (!covered[i]) {
      out += text[i++];
      continue;
    }
    out += "***";
    while (i < text.size() && covered[i])
      ++i;
  }
  text = std::move(out);
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
