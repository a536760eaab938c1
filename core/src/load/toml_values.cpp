#include "toml_values.hpp"

#include <charconv>
#include <sstream>

namespace seam {

std::string type_name(const toml::node &n) {
  switch (n.type()) {
  case toml::node_type::table:
    return "a table";
  case toml::node_type::array:
    return "an array";
  case toml::node_type::string:
    return "a string";
  case toml::node_type::integer:
    return "an integer";
  case toml::node_type::floating_point:
    return "a float";
  case toml::node_type::boolean:
    return "a boolean";
  case toml::node_type::date:
    return "a date";
  case toml::node_type::time:
    return "a time";
  case toml::node_type::date_time:
    return "a date-time";
  default:
    return "nothing";
  }
}

// Appends a text that equal TOML values share and different ones do not
// (type tags and lengths keep "1" and 1, or "a,b" and two keys, apart).
// False for what must not be shared: ${...} references, contracts (read
// relative to where they are written), dates, deep values.
bool value_key(const toml::node &n, std::string &out, int depth) {
  if (depth > 16)
    return false;
  auto text = [&out](char tag, std::string_view v) {
    out += tag;
    out += std::to_string(v.size());
    out += ':';
    out += v;
  };
  switch (n.type()) {
  case toml::node_type::string: {
    const std::string &v = n.as_string()->get();
    if (v.find("${") != std::string::npos)
      return false;
    text('s', v);
    return true;
  }
  case toml::node_type::integer:
    text('i', std::to_string(n.as_integer()->get()));
    return true;
  case toml::node_type::floating_point: {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, n.as_floating_point()->get());
    text('f', std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
    return true;
  }
  case toml::node_type::boolean:
    out += n.as_boolean()->get() ? 'T' : 'F';
    return true;
  case toml::node_type::array:
    out += '[';
    for (auto &&e : *n.as_array())
      if (!value_key(e, out, depth + 1))
        return false;
    out += ']';
    return true;
  case toml::node_type::table:
    out += '{';
    for (auto &&[k, v] : *n.as_table()) {
      if (k.str() == "schema" || k.str() == "openapi" || k.str().find("${") != std::string::npos)
        return false;
      text('k', k.str());
      if (!value_key(v, out, depth + 1))
        return false;
    }
    out += '}';
    return true;
  default:
    return false;
  }
}

bool TemplateMaker::internable(const Template &t) const {
  bool ok = true;
  t.for_each_ref([&](const Ref &r) {
    ok = ok && r.path.empty() && !r.fallback && var_names_.count(r.root) > 0;
  });
  return ok;
}

Template TemplateMaker::make(const toml::node &n, int depth) {
  if (depth > kMaxDepth) {
    if (!too_deep_reported_) {
      errors_.push_back({at_(n),
                         "value nested more than " + std::to_string(kMaxDepth) + " levels deep",
                         "flatten the value; deep dotted keys (a.b.c...) nest a table per dot"});
      too_deep_reported_ = true;
    }
    return Template::constant(json());
  }
  switch (n.type()) {
  case toml::node_type::string: {
    const std::string &text = n.as_string()->get();
    if (auto it = interned_.find(text); it != interned_.end())
      return it->second;
    // A string's own column points at its opening quote.
    size_t errors_before = errors_.size();
    Template t = Template::string(text, at_(n), errors_);
    if (!t.is_constant() && errors_.size() == errors_before && internable(t) &&
        interned_.size() < 100000)
      interned_.emplace(text, t);
    return t;
  }
  case toml::node_type::integer:
    return Template::shared_constant(n.as_integer()->get());
  case toml::node_type::floating_point:
    return Template::shared_constant(n.as_floating_point()->get());
  case toml::node_type::boolean:
    return Template::constant(n.as_boolean()->get());
  case toml::node_type::date: {
    std::ostringstream os;
    os << *n.as_date();
    return Template::constant(os.str());
  }
  case toml::node_type::time: {
    std::ostringstream os;
    os << *n.as_time();
    return Template::constant(os.str());
  }
  case toml::node_type::date_time: {
    std::ostringstream os;
    os << *n.as_date_time();
    return Template::constant(os.str());
  }
  case toml::node_type::array: {
    std::vector<Template> items;
    for (auto &&e : *n.as_array())
      items.push_back(make(e, depth + 1));
    return Template::array(std::move(items));
  }
  case toml::node_type::table: {
    std::vector<std::pair<std::string, Template>> members;
    for (auto &&[k, v] : *n.as_table())
      members.emplace_back(std::string(k.str()), make(v, depth + 1));
    return Template::object(std::move(members));
  }
  default:
    return Template::constant(json());
  }
}

} // namespace seam
