// SemVer parsing, precedence and ranges (see semver.hpp).
#include "seam/core/host/pack/semver.hpp"

#include <charconv>

namespace seam::pack {

namespace {

bool all_digits(std::string_view s) {
  if (s.empty())
    return false;
  for (char c : s)
    if (c < '0' || c > '9')
      return false;
  return true;
}

bool identifier_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

std::optional<unsigned long> number(std::string_view s) {
  // "01" is not a SemVer number: leading zeros are refused.
  if (!all_digits(s) || (s.size() > 1 && s[0] == '0') || s.size() > 9)
    return std::nullopt;
  unsigned long n = 0;
  std::from_chars(s.data(), s.data() + s.size(), n);
  return n;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    parts.push_back(s.substr(start, end == std::string_view::npos ? s.npos : end - start));
    if (end == std::string_view::npos)
      return parts;
    start = end + 1;
  }
}

// A version in a range may leave out minor and patch ("1", "1.2"): `given`
// says how many parts it had.
std::optional<Version> partial(std::string_view text, int *given, std::string *why) {
  size_t dots = 0;
  size_t cut = text.find_first_of("-+");
  for (char c : text.substr(0, cut))
    dots += c == '.';
  std::string full(text);
  if (cut == std::string_view::npos) {
    for (size_t i = dots; i < 2; ++i)
      full += ".0";
  }
  *given = static_cast<int>(std::min<size_t>(dots, 2)) + 1;
  return Version::parse(full, why);
}

} // namespace

std::optional<Version> Version::parse(std::string_view text, std::string *why) {
  auto bad = [&](const std::string &what) -> std::optional<Version> {
    if (why)
      *why = "'" + std::string(text) + "' is not a version (" + what + ")";
    return std::nullopt;
  };
  std::string_view core = text;
  if (size_t plus = core.find('+'); plus != std::string_view::npos)
    core = core.substr(0, plus);
  Version v;
  std::string_view pre;
  if (size_t dash = core.find('-'); dash != std::string_view::npos) {
    pre = core.substr(dash + 1);
    core = core.substr(0, dash);
    if (pre.empty())
      return bad("empty pre-release after '-'");
  }
  auto parts = split(core, '.');
  if (parts.size() != 3)
    return bad("write MAJOR.MINOR.PATCH, such as 1.2.0");
  auto ma = number(parts[0]), mi = number(parts[1]), pa = number(parts[2]);
  if (!ma || !mi || !pa)
    return bad("each part is a number without leading zeros");
  v.major = *ma;
  v.minor = *mi;
  v.patch = *pa;
  if (!pre.empty()) {
    for (auto id : split(pre, '.')) {
      if (id.empty())
        return bad("empty pre-release identifier");
      for (char c : id)
        if (!identifier_char(c))
          return bad("pre-release identifiers are letters, digits and '-'");
      v.pre.emplace_back(id);
    }
  }
  return v;
}

std::string Version::str() const {
  std::string s = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
  for (size_t i = 0; i < pre.size(); ++i)
    s += (i == 0 ? "-" : ".") + pre[i];
  return s;
}

int compare(const Version &a, const Version &b) {
  if (a.major != b.major)
    return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor)
    return a.minor < b.minor ? -1 : 1;
  if (a.patch != b.patch)
    return a.patch < b.patch ? -1 : 1;
  // A pre-release sorts before its release.
  if (a.pre.empty() || b.pre.empty())
    return a.pre.empty() == b.pre.empty() ? 0 : (a.pre.empty() ? 1 : -1);
  for (size_t i = 0; i < a.pre.size() && i < b.pre.size(); ++i) {
    const auto &x = a.pre[i], &y = b.pre[i];
    bool nx = all_digits(x), ny = all_digits(y);
    if (nx && ny) {
      if (x.size() != y.size())
        return x.size() < y.size() ? -1 : 1;
      if (x != y)
        return x < y ? -1 : 1;
    } else if (nx != ny) {
      return nx ? -1 : 1; // numeric identifiers sort first
    } else if (x != y) {
      return x < y ? -1 : 1;
    }
  }
  if (a.pre.size() != b.pre.size())
    return a.pre.size() < b.pre.size() ? -1 : 1;
  return 0;
}

std::optional<Range> Range::parse(std::string_view text, std::string *why) {
  Range r;
  r.text_ = std::string(trim(text));
  auto bad = [&](const std::string &what) -> std::optional<Range> {
    if (why)
      *why = "'" + std::string(text) + "' is not a version range (" + what +
             "; write \">=1.2, <2\", \"^1.2\", \"~1.4\", \"1.2.3\" or \"*\")";
    return std::nullopt;
  };
  if (r.text_.empty())
    return bad("it is empty");
  for (auto part : split(r.text_, ',')) {
    part = trim(part);
    if (part.empty())
      return bad("an empty comparator between commas");
    if (part == "*")
      continue;
    std::string_view op_text;
    for (std::string_view op : {">=", "<=", ">", "<", "=", "^", "~"}) {
      if (part.substr(0, op.size()) == op) {
        op_text = op;
        break;
      }
    }
    std::string_view ver = trim(part.substr(op_text.size()));
    int given = 0;
    std::string vwhy;
    auto v = partial(ver, &given, &vwhy);
    if (!v)
      return bad(vwhy);
    auto bump = [&](int at) {
      Version up;
      up.major = at == 0 ? v->major + 1 : v->major;
      up.minor = at == 1 ? v->minor + 1 : at == 0 ? 0 : v->minor;
      up.patch = at == 2 ? v->patch + 1 : 0;
      // "<2.0.0-0": no pre-release of the next version slips in.
      up.pre = {"0"};
      return up;
    };
    if (op_text == ">=")
      r.all_.push_back({Op::Ge, *v});
    else if (op_text == ">")
      r.all_.push_back({Op::Gt, *v});
    else if (op_text == "<=")
      r.all_.push_back({Op::Le, *v});
    else if (op_text == "<")
      r.all_.push_back({Op::Lt, *v});
    else if (op_text == "~") {
      // ~1.4.1: >=1.4.1, <1.5; ~1: >=1, <2.
      r.all_.push_back({Op::Ge, *v});
      r.all_.push_back({Op::Lt, bump(given == 1 ? 0 : 1)});
    } else if (op_text == "^" || op_text.empty()) {
      // ^1.2 (or a bare "1.2"): >=1.2, <2; ^0.3: >=0.3, <0.4; ^0.0.4: only 0.0.4
      // (Cargo's caret: a 0.x minor is a breaking change).
      int at = v->major > 0 || given == 1 ? 0 : (v->minor > 0 || given == 2 ? 1 : 2);
      r.all_.push_back({Op::Ge, *v});
      r.all_.push_back({Op::Lt, bump(at)});
    } else {
      // "=1.2.3": exactly that version.
      r.all_.push_back({Op::Eq, *v});
    }
  }
  return r;
}

bool Range::contains(const Version &v) const {
  for (const auto &c : all_) {
    int k = compare(v, c.v);
    bool ok = c.op == Op::Eq   ? k == 0
              : c.op == Op::Lt ? k < 0
              : c.op == Op::Le ? k <= 0
              : c.op == Op::Gt ? k > 0
                               : k >= 0;
    if (!ok)
      return false;
  }
  // A pre-release is only accepted when a comparator names a pre-release of
  // the same major.minor.patch (so ">=1.0" does not pick "2.0.0-alpha").
  if (!v.pre.empty()) {
    for (const auto &c : all_)
      if (!c.v.pre.empty() && c.v.major == v.major && c.v.minor == v.minor &&
          c.v.patch == v.patch && !(c.v.pre.size() == 1 && c.v.pre[0] == "0" && c.op == Op::Lt))
        return true;
    return false;
  }
  return true;
}

} // namespace seam::pack
