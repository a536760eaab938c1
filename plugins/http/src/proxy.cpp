// proxy.cpp - see proxy.hpp.
#include "proxy.hpp"

#include "ascii.hpp"

#include <curl/curl.h>

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

namespace seam::http {

namespace {

std::string_view unbracket(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    return host.substr(1, host.size() - 2);
  return host;
}

// An IPv4 or IPv6 literal as 16 bytes (IPv4 in the first 4); false otherwise.
bool parse_ip(std::string_view text, std::array<unsigned char, 16> &out, int &family) {
  std::string s(unbracket(text));
  out.fill(0);
  if (inet_pton(AF_INET, s.c_str(), out.data()) == 1) {
    family = AF_INET;
    return true;
  }
  if (inet_pton(AF_INET6, s.c_str(), out.data()) == 1) {
    family = AF_INET6;
    return true;
  }
  return false;
}

bool cidr_matches(std::string_view entry, std::string_view host) {
  size_t slash = entry.find('/');
  std::array<unsigned char, 16> net{}, ip{};
  int net_family = 0, ip_family = 0;
  if (!parse_ip(entry.substr(0, slash), net, net_family) || !parse_ip(host, ip, ip_family) ||
      net_family != ip_family)
    return false;
  int max_bits = net_family == AF_INET ? 32 : 128;
  int bits = max_bits;
  if (slash != std::string_view::npos) {
    std::string digits(entry.substr(slash + 1));
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos)
      return false;
    bits = std::min(std::stoi(digits), max_bits);
  }
  for (int i = 0; i < bits; ++i) {
    int mask = 0x80 >> (i % 8);
    if ((net[i / 8] & mask) != (ip[i / 8] & mask))
      return false;
  }
  return true;
}

const char *first_env(const getenv_fn &getenv, std::initializer_list<const char *> names,
                      std::string &which) {
  for (const char *name : names) {
    const char *v = getenv(name);
    if (v != nullptr && *v != '\0') {
      which = name;
      return v;
    }
  }
  return nullptr;
}

// The proxy URL without user and password, for messages.
std::string without_credentials(const std::string &url) {
  CURLU *u = curl_url();
  std::string shown = url;
  if (u != nullptr && curl_url_set(u, CURLUPART_URL, url.c_str(),
                                   CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK) {
    curl_url_set(u, CURLUPART_USER, nullptr, 0);
    curl_url_set(u, CURLUPART_PASSWORD, nullptr, 0);
    char *text = nullptr;
    if (curl_url_get(u, CURLUPART_URL, &text, 0) == CURLUE_OK) {
      shown = text;
      curl_free(text);
    }
  }
  curl_url_cleanup(u);
  return shown;
}

} // namespace

bool is_loopback(std::string_view host) {
  std::string h = lower(unbracket(host));
  if (h == "localhost" || h == "localhost." ||
      (h.size() > 10 && h.compare(h.size() - 10, 10, ".localhost") == 0))
    return true;
  std::array<unsigned char, 16> ip{};
  int family = 0;
  if (!parse_ip(h, ip, family))
    return false;
  if (family == AF_INET)
    return ip[0] == 127;
  static const std::array<unsigned char, 16> v6_loopback = {0, 0, 0, 0, 0, 0, 0, 0,
                                                            0, 0, 0, 0, 0, 0, 0, 1};
  return ip == v6_loopback;
}

bool no_proxy_matches(std::string_view list, std::string_view host) {
  std::string h = lower(unbracket(host));
  while (!h.empty() && h.back() == '.')
    h.pop_back();
  size_t i = 0;
  while (i <= list.size()) {
    size_t end = list.find_first_of(", \t", i);
    if (end == std::string_view::npos)
      end = list.size();
    std::string entry = lower(unbracket(list.substr(i, end - i)));
    i = end + 1;
    if (entry.empty())
      continue;
    if (entry == "*")
      return true;
    if (cidr_matches(entry, h))
      return true;
    while (!entry.empty() && entry.front() == '.')
      entry.erase(0, 1);
    while (!entry.empty() && entry.back() == '.')
      entry.pop_back();
    if (entry.empty())
      continue;
    if (h == entry ||
        (h.size() > entry.size() && h.compare(h.size() - entry.size(), entry.size(), entry) == 0 &&
         h[h.size() - entry.size() - 1] == '.'))
      return true;
  }
  return false;
}

std::optional<proxy_choice> choose_proxy(const seam::json *input, std::string_view scheme,
                                         std::string_view host, const getenv_fn &getenv) {
  if (input != nullptr) {
    if (input->is_boolean()) {
      if (!input->get<bool>())
        return std::nullopt;
    } else if (input->is_string()) {
      const std::string &url = input->get_ref<const std::string &>();
      if (url.empty())
        return std::nullopt;
      return proxy_choice{url, without_credentials(url), "the step's proxy input"};
    } else {
      throw seam::error("http.request: `proxy` must be a proxy URL such as "
                        "\"http://proxy.example:3128\", false (connect directly) or true (from "
                        "the environment, the default)");
    }
  }
  if (is_loopback(host))
    return std::nullopt;
  std::string which, ignored;
  const char *no_proxy = first_env(getenv, {"no_proxy", "NO_PROXY"}, ignored);
  if (no_proxy != nullptr && no_proxy_matches(no_proxy, host))
    return std::nullopt;
  const char *url = nullptr;
  std::string s = lower(scheme);
  if (s == "http")
    url = first_env(getenv, {"http_proxy"}, which);
  else if (s == "https")
    url = first_env(getenv, {"https_proxy", "HTTPS_PROXY"}, which);
  if (url == nullptr)
    url = first_env(getenv, {"all_proxy", "ALL_PROXY"}, which);
  if (url == nullptr)
    return std::nullopt;
  return proxy_choice{url, without_credentials(url), "the environment variable " + which};
}

} // namespace seam::http
