#include "seam/core/model/interpolate.hpp"
#include "seam/core/model/builtins.hpp"

#include <seam/json_write.hpp>

#include <cctype>
#include <map>
#include <mutex>

namespace seam {

UndefinedReference::UndefinedReference(const Ref &r)
    : std::runtime_error("undefined variable '" + r.text + "'"), ref_(r) {}

// Most nodes of a suite are constants: they carry only their value, and
// the parts of the other kinds live apart, so a constant stays small.
struct Template::Node {
  enum class Kind { Constant, Whole, Text, Object, Array } kind = Kind::Constant;
  json value; // Constant
  using Pieces = std::vector<std::variant<std::string, Ref>>;
  using Members = std::vector<std::pair<std::string, Template>>;
  using Items = std::vector<Template>;
  // Only the part of the node's kind is allocated: a suite of 100,000 steps
  // holds a few nodes per step.
  std::variant<std::monostate, std::unique_ptr<Ref>, std::unique_ptr<Pieces>,
               std::unique_ptr<Members>, std::unique_ptr<Items>>
      x;

  template <class T> T &make() {
    auto p = std::make_unique<T>();
    T &r = *p;
    x = std::move(p);
    return r;
  }
  const Ref &ref() const { return *std::get<std::unique_ptr<Ref>>(x); }
  const Pieces &pieces() const { return *std::get<std::unique_ptr<Pieces>>(x); }
  const Members &members() const { return *std::get<std::unique_ptr<Members>>(x); }
  const Items &items() const { return *std::get<std::unique_ptr<Items>>(x); }
};

std::string to_text(const json &v) {
  if (v.is_string())
    return v.get<std::string>();
  if (v.is_null())
    return "";
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

Template Template::constant(json value) {
  // Shared nodes for the most repeated constants.
  static const Template t_true = [] {
    auto n = std::make_shared<Node>();
    n->value = true;
    return Template(n);
  }();
  static const Template t_false = [] {
    auto n = std::make_shared<Node>();
    n->value = false;
    return Template(n);
  }();
  static const Template t_null = [] {
    auto n = std::make_shared<Node>();
    return Template(n);
  }();
  static const Template t_empty_object = [] {
    auto n = std::make_shared<Node>();
    n->value = json::object();
    return Template(n);
  }();
  if (value.is_boolean())
    return value.get<bool>() ? t_true : t_false;
  if (value.is_null())
    return t_null;
  if (value.is_object() && value.empty())
    return t_empty_object; // every step without `with`
  auto n = std::make_shared<Node>();
  n->value = std::move(value);
  return Template(std::move(n));
}

Template Template::shared_constant(json value) {
  // Suites repeat their scalars (status = 200, method = "GET", ids): one node
  // per distinct value. Only the loader calls this, on one thread at a time.
  if (!(value.is_number() ||
        (value.is_string() && value.get_ref<const std::string &>().size() <= 64)))
    return constant(std::move(value));
  static std::mutex mu;
  // Never destroyed: at exit, freeing it node by node would only cost time,
  // and after a worker's fork every page it touches is a page fault (copy on
  // write). Reachable from a static, so no leak to LeakSanitizer.
  static auto &pool = *new std::map<json, Template>;
  std::lock_guard lock(mu);
  if (pool.size() > 100000)
    return constant(std::move(value)); // a pathological suite: stop growing
  auto it = pool.find(value);
  if (it == pool.end())
    it = pool.emplace(value, constant(value)).first;
  return it->second;
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
  r.builtin = builtin_root(r.root);
  std::string_view rest = body.substr(end);
  if (rest == ".") {
    errors.push_back({loc, "bad reference '${" + std::string(expr) + "}': path ends with '.'",
                      "name a field after the dot, as in ${" + r.root + ".id}, or drop the dot"});
    return std::nullopt;
  }
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
    return shared_constant(text);
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
        errors.push_back({at, "unterminated '${' in string",
                          "close it with '}', or write $${ for a literal ${"});
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
    n->make<Ref>() = std::get<Ref>(std::move(pieces[0]));
  } else if (pieces.size() == 1) {
    n->value = std::get<std::string>(pieces[0]);
  } else if (pieces.empty()) {
    n->value = "";
  } else {
    n->kind = Node::Kind::Text;
    n->make<Node::Pieces>() = std::move(pieces);
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
    n->make<Node::Members>() = std::move(members);
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
    n->make<Node::Items>() = std::move(items);
  }
  return Template(std::move(n));
}

const std::vector<std::pair<std::string, Template>> *Template::table_members() const {
  return node_->kind == Node::Kind::Object ? &node_->members() : nullptr;
}

std::optional<std::vector<std::pair<std::string, Template>>> Template::members() const {
  const Node &n = *node_;
  if (n.kind == Node::Kind::Object)
    return n.members();
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
    return resolve(n.ref(), r);
  case Node::Kind::Text: {
    std::string out;
    for (const auto &p : n.pieces()) {
      if (const auto *s = std::get_if<std::string>(&p))
        out += *s;
      else
        out += to_text(resolve(std::get<Ref>(p), r));
    }
    return out;
  }
  case Node::Kind::Object: {
    json o = json::object();
    for (const auto &[k, t] : n.members())
      o[k] = t.render(r);
    return o;
  }
  case Node::Kind::Array: {
    json a = json::array();
    for (const auto &t : n.items())
      a.push_back(t.render(r));
    return a;
  }
  }
  return {};
}

void Template::render_json(const Resolver &r, std::string &out) const {
  const Node &n = *node_;
  switch (n.kind) {
  case Node::Kind::Constant:
    append_json(out, n.value);
    return;
  case Node::Kind::Whole:
    if (const json *v = r.find(n.ref()))
      append_json(out, *v);
    else
      append_json(out, resolve(n.ref(), r));
    return;
  case Node::Kind::Text: {
    std::string text;
    for (const auto &p : n.pieces()) {
      if (const auto *s = std::get_if<std::string>(&p))
        text += *s;
      else if (const json *v = r.find(std::get<Ref>(p)); v && v->is_string())
        text += v->get_ref<const std::string &>();
      else
        text += to_text(v ? *v : resolve(std::get<Ref>(p), r));
    }
    append_json_string(out, text);
    return;
  }
  case Node::Kind::Object: {
    out += '{';
    bool first = true;
    for (const auto &[k, t] : n.members()) {
      append_json_key(out, k, !first);
      first = false;
      t.render_json(r, out);
    }
    out += '}';
    return;
  }
  case Node::Kind::Array: {
    out += '[';
    for (size_t i = 0; i < n.items().size(); ++i) {
      if (i)
        out += ',';
      n.items()[i].render_json(r, out);
    }
    out += ']';
    return;
  }
  }
}

json Template::shape() const {
  return shape([](const Ref &) { return std::optional<json>(); });
}

json Template::shape(const std::function<std::optional<json>(const Ref &)> &known) const {
  const Node &n = *node_;
  switch (n.kind) {
  case Node::Kind::Constant:
    return n.value;
  case Node::Kind::Whole:
    if (auto v = known(n.ref()))
      return std::move(*v);
    return json(json::value_t::discarded);
  case Node::Kind::Text: {
    std::string out;
    for (const auto &p : n.pieces()) {
      if (const auto *lit = std::get_if<std::string>(&p)) {
        out += *lit;
      } else if (auto v = known(std::get<Ref>(p))) {
        out += to_text(*v);
      } else {
        return json(json::value_t::discarded);
      }
    }
    return out;
  }
  case Node::Kind::Object: {
    json o = json::object();
    for (const auto &[k, t] : n.members())
      o[k] = t.shape(known);
    return o;
  }
  case Node::Kind::Array: {
    json a = json::array();
    for (const auto &t : n.items())
      a.push_back(t.shape(known));
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
    fn(n.ref());
    return;
  case Node::Kind::Text:
    for (const auto &p : n.pieces())
      if (const auto *r = std::get_if<Ref>(&p))
        fn(*r);
    return;
  case Node::Kind::Object:
    for (const auto &m : n.members())
      m.second.for_each_ref(fn);
    return;
  case Node::Kind::Array:
    for (const auto &t : n.items())
      t.for_each_ref(fn);
    return;
  }
}

size_t Template::expanded_size(const std::function<size_t(const Ref &)> &ref_size) const {
  auto add = [](size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; };
  const Node &n = *node_;
  switch (n.kind) {
  case Node::Kind::Constant:
    // Invalid UTF-8 in a string is written as U+FFFD (see to_text), not thrown.
    return n.value.is_string()
               ? n.value.get_ref<const std::string &>().size()
               : n.value.dump(-1, ' ', false, json::error_handler_t::replace).size();
  case Node::Kind::Whole:
    return ref_size(n.ref());
  case Node::Kind::Text: {
    size_t total = 0;
    for (const auto &p : n.pieces()) {
      if (const auto *s = std::get_if<std::string>(&p))
        total = add(total, s->size());
      else
        total = add(total, ref_size(std::get<Ref>(p)));
    }
    return total;
  }
  case Node::Kind::Object: {
    size_t total = 2;
    for (const auto &[k, t] : n.members())
      total = add(total, add(k.size() + 4, t.expanded_size(ref_size)));
    return total;
  }
  case Node::Kind::Array: {
    size_t total = 2;
    for (const auto &t : n.items())
      total = add(total, add(1, t.expanded_size(ref_size)));
    return total;
  }
  }
  return 0;
}

} // namespace seam
