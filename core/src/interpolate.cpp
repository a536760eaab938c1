#include "seam/core/interpolate.hpp"

#include <cctype>

namespace seam {

UndefinedReference::UndefinedReference(const Ref &r)
    : std::runtime_error("undefined variable '" + r.text + "'"), ref_(r) {}

struct Template::Node {
  enum class Kind { Constant, Whole, Text, Object, Array } kind = Kind::Constant;
  json value;                                         // Constant
  Ref ref;                                            // Whole
  std::vector<std::variant<std::string, Ref>> pieces; // Text
  std::vector<std::pair<std::string, Template>> members;
  std::vector<Template> items;
};

std::string to_text(const json &v) {
  if (v.is_string())
    return v.get<std::string>();
  if (v.is_null())
    return "";
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

Template Template::constant(json value) {
  auto n = std::make_shared<Node>();
  n->value = std::move(value);
  return Template(std::move(n));
}

static std::optional<Ref> parse_ref(std::string_view expr, const SourceLoc &loc,
                                    std::vector<Diagnostic> &errors) {
  Ref r;
  r.loc = loc;
  r.text = std::string(expr);
  auto trim = [](std::string_view s) {
    while (!s.empty() && s.front() == ' ')
      s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
      s.remove_suffix(1);
    return s;
  };
  std::string_view body = trim(expr);
  if (auto p = body.find(":-"); p != std::string_view::npos) {
    r.fallback = std::string(body.substr(p + 2));
    body = trim(body.substr(0, p));
  }
  r.text = std::string(body);
  size_t end = 0;
  while (end < body.size() && body[end] != '.' && body[end] != '[')
    ++end;
  std::string_view root = body.substr(0, end);
  bool ok = !root.empty();
  for (char c : root)
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
  if (!ok) {
    errors.push_back({loc, "bad reference '${" + std::string(expr) + "}'",
                      "write ${name}, ${name.field}, ${env.NAME} or ${env.NAME:-default}"});
    return std::nullopt;
  }
  r.root = std::string(root);
  std::string_view rest = body.substr(end);
  if (!rest.empty() && rest.front() == '.')
    rest.remove_prefix(1);
  std::string err;
  auto path = JsonPath::parse(rest, &err);
  if (!path) {
    errors.push_back({loc, "bad reference '${" + std::string(expr) + "}': " + err, ""});
    return std::nullopt;
  }
  r.path = std::move(*path);
  return r;
}

Template Template::string(const std::string &text, const SourceLoc &loc,
                          std::vector<Diagnostic> &errors) {
  if (text.find('$') == std::string::npos)
    return constant(text);
  std::vector<std::variant<std::string, Ref>> pieces;
  std::string lit;
  size_t errors_before = errors.size();
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, 3, "$${") == 0) {
      lit += "${";
      i += 3;
    } else if (text.compare(i, 2, "${") == 0) {
      size_t close = text.find('}', i + 2);
      // The caret points at `${` inside the string (after its opening quote).
      SourceLoc at = loc.shifted(static_cast<uint32_t>(i + 1));
      if (close == std::string::npos) {
        errors.push_back({at, "unterminated '${' in string", "close it with '}', or write $${ for a literal ${"});
        break;
      }
      auto ref = parse_ref(std::string_view(text).substr(i + 2, close - i - 2), at, errors);
      if (ref) {
        if (!lit.empty())
          pieces.emplace_back(std::move(lit));
        lit.clear();
        pieces.emplace_back(std::move(*ref));
      }
      i = close + 1;
    } else {
      lit += text[i++];
    }
  }
  if (errors.size() != errors_before)
    return constant(text);
  if (!lit.empty())
    pieces.emplace_back(std::move(lit));
  auto n = std::make_shared<Node>();
  if (pieces.size() == 1 && std::holds_alternative<Ref>(pieces[0])) {
    n->kind = Node::Kind::Whole;
    n->ref = std::get<Ref>(std::move(pieces[0]));
  } else if (pieces.size() == 1) {
    n->value = std::get<std::string>(pieces[0]);
  } else if (pieces.empty()) {
    n->value = "";
  } else {
    n->kind = Node::Kind::Text;
    n->pieces = std::move(pieces);
  }
  return Template(std::move(n));
}

Template Template::object(std::vector<std::pair<std::string, Template>> members) {
  auto n = std::make_shared<Node>();
  bool all_const = true;
  for (auto &m : members)
    all_const = all_const && m.second.is_constant();
  if (all_const) {
    n->value = json::object();
    for (auto &m : members)
      n->value[m.first] = m.second.constant_value();
  } else {
    n->kind = Node::Kind::Object;
    n->members = std::move(members);
  }
  return Template(std::move(n));
}

Template Template::array(std::vector<Template> items) {
  auto n = std::make_shared<Node>();
  bool all_const = true;
  for (auto &m : items)
    all_const = all_const && m.is_constant();
  if (all_const) {
    n->value = json::array();
    for (auto &m : items)
      n->value.push_back(m.constant_value());
  } else {
    n->kind = Node::Kind::Array;
    n->items = std::move(items);
  }
  return Template(std::move(n));
}

std::optional<std::vector<std::pair<std::string, Template>>> Template::members() const {
  const Node &n = *node_;
  if (n.kind == Node::Kind::Object)
    return n.members;
  if (n.kind != Node::Kind::Constant || !n.value.is_object())
    return std::nullopt;
  std::vector<std::pair<std::string, Template>> out;
  for (const auto &[k, v] : n.value.items())
    out.emplace_back(k, constant(v));
  return out;
}

bool Template::is_constant() const { return node_->kind == Node::Kind::Constant; }
const json &Template::constant_value() const { return node_->value; }

static json resolve(const Ref &ref, const Resolver &r) {
  if (auto v = r.lookup(ref))
    return std::move(*v);
  if (ref.fallback)
    return *ref.fallback;
  throw UndefinedReference(ref);
}

json Template::render(const Resolver &r) const {
  const Node &n = *node_;
  switch (n.kind) {
  case Node::Kind::Constant:
    return n.value;
  case Node::Kind::Whole:
    return resolve(n.ref, r);
  case Node::Kind::Text: {
    std::string out;
    for (const auto &p : n.pieces) {
      if (const auto *s = std::get_if<std::string>(&p))
        out += *s;
      else
        out += to_text(resolve(std::get<Ref>(p), r));
    }
    return out;
  }
  case Node::Kind::Object: {
    json o = json::object();
    for (const auto &[k, t] : n.members)
      o[k] = t.render(r);
    return o;
  }
  case Node::Kind::Array: {
    json a = json::array();
    for (const auto &t : n.items)
      a.push_back(t.render(r));
    return a;
  }
  }
  return {};
}

json Template::shape() const {
  const Node &n = *node_;
  switch (n.kind) {
  case Node::Kind::Constant:
    return n.value;
  case Node::Kind::Whole:
    return json(json::value_t::discarded);
  case Node::Kind::Text:
    return json(json::value_t::discarded);
  case Node::Kind::Object: {
    json o = json::object();
    for (const auto &[k, t] : n.members)
      o[k] = t.shape();
    return o;
  }
  case Node::Kind::Array: {
    json a = json::array();
    for (const auto &t : n.items)
      a.push_back(t.shape());
    return a;
  }
  }
  return {};
}

void Template::for_each_ref(const std::function<void(const Ref &)> &fn) const {
  const Node &n = *node_;
  switch (n.kind) {
  case Node::Kind::Constant:
    return;
  case Node::Kind::Whole:
    fn(n.ref);
    return;
  case Node::Kind::Text:
    for (const auto &p : n.pieces)
      if (const auto *r = std::get_if<Ref>(&p))
        fn(*r);
    return;
  case Node::Kind::Object:
    for (const auto &m : n.members)
      m.second.for_each_ref(fn);
    return;
  case Node::Kind::Array:
    for (const auto &t : n.items)
      t.for_each_ref(fn);
    return;
  }
}

} // namespace seam
