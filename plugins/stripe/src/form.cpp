// form.cpp - see form.hpp.
#include "form.hpp"

#include <stdexcept>
#include <vector>

namespace seam_stripe {

namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~' ||
         // Brackets stay readable, in keys and values, as stripe-node leaves them.
         c == '[' || c == ']';
}

std::string scalar_text(const json &v) {
  if (v.is_string())
    return v.get<std::string>();
  if (v.is_null())
    return "";
  if (v.is_boolean())
    return v.get<bool>() ? "true" : "false";
  return v.dump(); // numbers print as JavaScript's String() does for usual values
}

void encode(const std::string &key, const json &value, std::string &out) {
  if (value.is_object()) {
    for (const auto &[k, v] : value.items())
      encode(key + "[" + k + "]", v, out);
    return;
  }
  if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i)
      encode(key + "[" + std::to_string(i) + "]", value[i], out);
    return;
  }
  if (!out.empty())
    out += '&';
  out += form_escape(key);
  out += '=';
  out += form_escape(scalar_text(value));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::string unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
               hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool is_index(const std::string &s) {
  return !s.empty() && s.size() < 7 && s.find_first_not_of("0123456789") == std::string::npos;
}

// Stores value under the path of segments into root.
void place(json &root, const std::vector<std::string> &path, std::string value,
           const std::string &key) {
  json *node = &root;
  for (size_t i = 0; i < path.size(); ++i) {
    const std::string &seg = path[i];
    bool last = i + 1 == path.size();
    if (node->is_null())
      *node = (seg.empty() || is_index(seg)) ? json::array() : json::object();
    json *next = nullptr;
    if (node->is_array()) {
      if (seg.empty()) {
        node->push_back(nullptr);
        next = &node->back();
      } else if (is_index(seg)) {
        size_t idx = std::stoul(seg);
        if (idx > node->size())
          throw std::invalid_argument("form key " + key + ": index " + seg +
                                      " skips earlier elements");
        if (idx == node->size())
          node->push_back(nullptr);
        next = &(*node)[idx];
      } else {
        throw std::invalid_argument("form key " + key + ": \"" + seg +
                                    "\" used where an array index was used before");
      }
    } else if (node->is_object()) {
      next = &(*node)[seg];
    } else {
      throw std::invalid_argument("form key " + key + " nests under a value given before");
    }
    if (last) {
      if (!next->is_null())
        throw std::invalid_argument("form key " + key + " given twice");
      *next = std::move(value);
    }
    node = next;
  }
}

} // namespace

std::string form_escape(std::string_view text) {
  static const char *digits = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

std::string form_encode(const json &params) {
  std::string out;
  if (!params.is_object())
    throw std::invalid_argument("form parameters must be an object, not " +
                                std::string(params.type_name()));
  for (const auto &[k, v] : params.items())
    encode(k, v, out);
  return out;
}

json form_decode(std::string_view body) {
  json root = json::object();
  size_t pos = 0;
  while (pos <= body.size() && !body.empty()) {
    size_t amp = body.find('&', pos);
    std::string_view pair = body.substr(pos, amp == std::string_view::npos ? amp : amp - pos);
    pos = amp == std::string_view::npos ? body.size() + 1 : amp + 1;
    if (pair.empty())
      continue;
    size_t eq = pair.find('=');
    std::string key = unescape(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : unescape(pair.substr(eq + 1));
    // "a[b][0]" -> a, b, 0
    std::vector<std::string> path;
    size_t open = key.find('[');
    path.push_back(key.substr(0, open));
    while (open != std::string::npos) {
      size_t close = key.find(']', open);
      if (close == std::string::npos)
        throw std::invalid_argument("form key " + key + " has an unclosed [");
      path.push_back(key.substr(open + 1, close - open - 1));
      open = key.find('[', close);
      if (open != std::string::npos && open != close + 1)
        throw std::invalid_argument("form key " + key + " has text between brackets");
    }
    if (path[0].empty())
      throw std::invalid_argument("form key " + key + " has no name");
    place(root, path, std::move(value), key);
  }
  return root;
}

} // namespace seam_stripe
