// valijson, given the documents of a SchemaSet, and its results as
// violations with a path and a keyword.
#include "seam/core/expect/json_schema.hpp"
#include "schema_store.hpp"

#include "seam/core/base/regex.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/constraint_builder.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <array>
#include <new>

namespace seam {

namespace {

using valijson::adapters::Adapter;
using valijson::adapters::NlohmannJsonAdapter;

// Descriptions of seam's own constraints carry their keyword: "\x1fKEYWORD\x1fmessage".
constexpr char kMark = '\x1f';

std::string marked(const std::string &keyword, const std::string &message) {
  return std::string(1, kMark) + keyword + kMark + message;
}

std::string shown(const Adapter &a) {
  std::string s;
  if (a.maybeString())
    s = json(a.asString()).dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 80)
    s = s.substr(0, 77) + "...\"";
  return s;
}

// `pattern`, with RE2: linear time, constant stack.
class PatternCheck : public valijson::constraints::PolyConstraint {
public:
  explicit PatternCheck(Regex re) : re_(std::move(re)) {}
  bool validate(const Adapter &target, const std::vector<std::string> &context,
                valijson::ValidationResults *results) const override {
    if (!target.isString())
      return true;
    if (re_.search(target.asString()))
      return true;
    if (results)
      results->pushError(context, marked("pattern", shown(target) + " does not match " +
                                                        json(re_.pattern()).dump()));
    return false;
  }

private:
  valijson::constraints::Constraint *cloneInto(void *p) const override {
    return new (p) PatternCheck(*this);
  }
  size_t sizeOf() const override { return sizeof(PatternCheck); }
  Regex re_;
};

class FormatCheck : public valijson::constraints::PolyConstraint {
public:
  explicit FormatCheck(std::string format) : format_(std::move(format)) {}
  bool validate(const Adapter &target, const std::vector<std::string> &context,
                valijson::ValidationResults *results) const override {
    if (!target.isString() || format_holds(format_, target.asString()))
      return true;
    if (results)
      results->pushError(context,
                         marked("format", shown(target) + " is not " + article() + " " + format_));
    return false;
  }

private:
  std::string article() const {
    // "an email", "an ipv4", but "a uri", "a uuid".
    return std::string("aeio").find(format_.empty() ? 'x' : format_[0]) == std::string::npos ? "a"
                                                                                             : "an";
  }
  valijson::constraints::Constraint *cloneInto(void *p) const override {
    return new (p) FormatCheck(*this);
  }
  size_t sizeOf() const override { return sizeof(FormatCheck); }
  std::string format_;
};

struct PatternBuilder : valijson::ConstraintBuilder {
  valijson::constraints::Constraint *make(const Adapter &node) const override {
    std::string why;
    auto re = Regex::compile(node.asString(), &why);
    if (!re) // checked when the document was read; kept for safety
      throw std::runtime_error("bad pattern: " + why);
    return new PatternCheck(std::move(*re));
  }
};

struct FormatBuilder : valijson::ConstraintBuilder {
  valijson::constraints::Constraint *make(const Adapter &node) const override {
    return new FormatCheck(node.asString());
  }
};

// valijson's descriptions -> the keyword; "" for those that only say that a
// part failed (the part's own violation is reported too).
std::string keyword_of(const std::string &d) {
  static const std::array<std::pair<const char *, const char *>, 30> kTable{{
      {"Failed to validate item #", ""},
      {"Failed to validate against schema associated with", ""},
      {"Failed to validate against child schema #", ""},
      {"Failed to validate against additional properties schema", ""},
      {"Failed to validate against dependent schema", ""},
      {"Failed to validate against a conditional schema", ""},
      {"Value type not permitted", "type"},
      {"Missing required property", "required"},
      {"Failed to match against any enum", "enum"},
      {"Failed to match expected value set by 'const'", "const"},
      {"Target value and comparison value are not equal", "const"},
      {"Expected number greater than or equal to", "minimum"},
      {"Expected number greater than", "exclusiveMinimum"},
      {"Expected number less than or equal to", "maximum"},
      {"Expected number less than", "exclusiveMaximum"},
      {"String should be no fewer than", "minLength"},
      {"String should be no more than", "maxLength"},
      {"Array should contain no fewer than", "minItems"},
      {"Array should contain no more than", "maxItems"},
      {"Object should have no fewer than", "minProperties"},
      {"Object should have no more than", "maxProperties"},
      {"Elements at indexes", "uniqueItems"},
      {"Value should be a multiple of", "multipleOf"},
      {"Value could not be converted", "multipleOf"},
      {"Failed to validate against any schemas allowed by anyOf", "anyOf"},
      {"Failed to validate against any child schemas allowed by oneOf", "oneOf"},
      {"Failed to validate against exactly one child schema", "oneOf"},
      {"Target should not validate against schema specified in 'not'", "not"},
      {"Missing dependency", "dependencies"},
      {"Object contains a property that could not be validated", "additionalProperties"},
  }};
  for (auto &[prefix, kw] : kTable)
    if (d.rfind(prefix, 0) == 0)
      return kw;
  if (d.find("'contains'") != std::string::npos)
    return "contains";
  if (d.find("items constraint") != std::string::npos)
    return "items";
  return "schema";
}

// valijson's context (["<root>", "[name]", "[0]"]) as a seam path suffix;
// "[0]" is an index or a key, which the value tells.
std::string path_of(const std::vector<std::string> &context, const json &root, const json **found) {
  std::string out;
  const json *at = &root;
  for (size_t i = 1; i < context.size(); ++i) {
    const std::string &c = context[i];
    std::string key =
        c.size() >= 2 && c.front() == '[' && c.back() == ']' ? c.substr(1, c.size() - 2) : c;
    if (at && at->is_array()) {
      out += "[" + key + "]";
      size_t idx = std::strtoul(key.c_str(), nullptr, 10);
      at = idx < at->size() ? &(*at)[idx] : nullptr;
      continue;
    }
    bool plain = !key.empty() && key.find_first_of(".[]\"") == std::string::npos;
    out += plain ? "." + key : "[" + json(key).dump() + "]";
    if (at && at->is_object()) {
      auto it = at->find(key);
      at = it == at->end() ? nullptr : &*it;
    } else {
      at = nullptr;
    }
  }
  *found = at;
  return out;
}

std::string type_and_value(const json &v) {
  std::string t = v.is_string()           ? "string"
                  : v.is_number_integer() ? "integer"
                  : v.is_number()         ? "number"
                  : v.is_boolean()        ? "boolean"
                  : v.is_array()          ? "array"
                  : v.is_object()         ? "object"
                                          : "null";
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 80)
    s = s.substr(0, 77) + "...";
  return t + " " + s;
}

// "150.000000" (valijson prints doubles with std::to_string) -> "150".
std::string trim_numbers(const std::string &s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (std::isdigit(static_cast<unsigned char>(s[i]))) {
      size_t j = i;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])))
        ++j;
      if (j + 1 < s.size() && s[j] == '.' && std::isdigit(static_cast<unsigned char>(s[j + 1]))) {
        size_t k = j + 1;
        while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k])))
          ++k;
        std::string frac = s.substr(j + 1, k - j - 1);
        while (!frac.empty() && frac.back() == '0')
          frac.pop_back();
        out += s.substr(i, j - i) + (frac.empty() ? "" : "." + frac);
        i = k;
        continue;
      }
      out += s.substr(i, j - i);
      i = j;
      continue;
    }
    out += s[i++];
  }
  return out;
}

// valijson's description in the words of seam's other failures.
std::string message_of(const std::string &keyword, std::string d) {
  if (!d.empty() && d.back() == '.')
    d.pop_back();
  auto after = [&](const std::string &prefix) {
    return d.rfind(prefix, 0) == 0 ? trim_numbers(d.substr(prefix.size())) : std::string();
  };
  auto quoted = [&]() {
    auto b = d.rfind('\'');
    auto a = b == std::string::npos || b == 0 ? std::string::npos : d.rfind('\'', b - 1);
    return a != std::string::npos ? d.substr(a, b - a + 1) : std::string();
  };
  if (keyword == "type")
    return "not of a type the schema allows";
  if (keyword == "enum")
    return "not one of the values of 'enum'";
  if (keyword == "const")
    return "not the value of 'const'";
  if (keyword == "minimum")
    return "expected a number >= " + after("Expected number greater than or equal to ");
  if (keyword == "exclusiveMinimum")
    return "expected a number > " + after("Expected number greater than ");
  if (keyword == "maximum")
    return "expected a number <= " + after("Expected number less than or equal to ");
  if (keyword == "exclusiveMaximum")
    return "expected a number < " + after("Expected number less than ");
  if (keyword == "multipleOf")
    return "expected a multiple of " + after("Value should be a multiple of ");
  if (keyword == "anyOf" || (keyword == "oneOf" && d.find("any child") != std::string::npos))
    return "matches none of the schemas of '" + keyword + "'";
  if (keyword == "oneOf")
    return "matches more than one of the schemas of 'oneOf'";
  if (keyword == "not")
    return "matches the schema of 'not'";
  if (keyword == "additionalProperties")
    return "property " + quoted() + " is not allowed";
  if (keyword == "dependencies")
    return "missing property " + quoted() + ", which another property requires";
  if (keyword == "contains")
    return "no item matches the schema of 'contains'";
  if (keyword == "items")
    return "more items than the schema allows";
  if (keyword == "uniqueItems")
    return "items are not unique: " + trim_numbers(d);
  if (!d.empty() && d[0] >= 'A' && d[0] <= 'Z')
    d[0] = static_cast<char>(d[0] - 'A' + 'a');
  return d;
}

} // namespace

CompiledSchema::CompiledSchema() = default;
CompiledSchema::~CompiledSchema() = default;

std::shared_ptr<const CompiledSchema>
CompiledSchema::compile(SchemaSet &set, const std::string &ref, std::string *error) {
  auto &store = *set.store_;
  auto hash = ref.find('#');
  std::string doc = ref.substr(0, hash);
  std::string ptr = hash == std::string::npos ? "" : ref.substr(hash + 1);
  if (!store.docs.count(doc)) {
    *error = "no document " + doc;
    return nullptr;
  }
  bool found = false;
  try {
    found = store.docs.at(doc)->contains(json::json_pointer(ptr));
  } catch (const json::exception &) {
  }
  if (!found) {
    *error = display_path(doc) + " has nothing at #" + ptr;
    return nullptr;
  }
  if (!store.reach(doc, ptr, error) || !store.check_loops(doc, ptr, error))
    return nullptr;
  json root = {{"$ref", schema_ref(doc, ptr)}};
  std::shared_ptr<CompiledSchema> c(new CompiledSchema());
  c->schema_ = std::make_unique<valijson::Schema>();
  c->store_ = set.store_;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  parser.addConstraintBuilder("x-seam-pattern", new PatternBuilder());
  parser.addConstraintBuilder("x-seam-format", new FormatBuilder());
  auto fetch = [&store](const std::string &uri) -> const json * {
    auto it = store.docs.find(uri);
    return it == store.docs.end() ? nullptr : it->second.get();
  };
  auto keep = [](const json *) {}; // the store owns its documents
  try {
    NlohmannJsonAdapter adapter(root);
    parser.populateSchema(adapter, *c->schema_, fetch, keep);
  } catch (const std::exception &e) {
    *error = std::string("the schema is not valid: ") + e.what();
    return nullptr;
  }
  return c;
}

namespace {

// How deeply arrays and objects nest in v (iteratively: v may be deep).
size_t depth_of(const json &v) {
  size_t deepest = 0;
  std::vector<std::pair<const json *, size_t>> todo{{&v, 1}};
  while (!todo.empty()) {
    auto [n, d] = todo.back();
    todo.pop_back();
    if (!n->is_structured())
      continue;
    deepest = std::max(deepest, d);
    for (const auto &c : *n)
      todo.emplace_back(&c, d + 1);
  }
  return deepest;
}

constexpr size_t kMaxValueDepth = 1000;

} // namespace

std::vector<SchemaViolation> CompiledSchema::validate(const json &value) const {
  // valijson recurses along the value: a deeper one is refused, not crashed on.
  if (depth_of(value) > kMaxValueDepth)
    return {{"", "schema",
             "the value nests arrays and objects more than " + std::to_string(kMaxValueDepth) +
                 " levels deep; seam does not validate it"}};
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  NlohmannJsonAdapter target(value);
  std::vector<SchemaViolation> out;
  try {
    if (validator.validate(*schema_, target, &results))
      return out;
  } catch (const std::exception &e) {
    out.push_back({"", "schema", std::string("the schema could not be applied: ") + e.what()});
    return out;
  }
  valijson::ValidationResults::Error e;
  std::vector<SchemaViolation> parts; // "a part failed": kept for a false schema
  while (results.popError(e)) {
    SchemaViolation v;
    const json *at = nullptr;
    v.path = path_of(e.context, value, &at);
    if (!e.description.empty() && e.description[0] == kMark) {
      auto end = e.description.find(kMark, 1);
      v.keyword = e.description.substr(1, end - 1);
      v.message = e.description.substr(end + 1);
    } else {
      v.keyword = keyword_of(e.description);
      if (v.keyword.empty()) {
        v.keyword = "false";
        v.message = "no value is allowed here (the schema is false)";
        parts.push_back(std::move(v));
        continue;
      }
      v.message = message_of(v.keyword, e.description);
      static const std::array<const char *, 8> kShowValue{"type",
                                                          "enum",
                                                          "const",
                                                          "minimum",
                                                          "exclusiveMinimum",
                                                          "maximum",
                                                          "exclusiveMaximum",
                                                          "multipleOf"};
      if (at && std::find(kShowValue.begin(), kShowValue.end(), v.keyword) != kShowValue.end())
        v.message += " (got " + type_and_value(*at) + ")";
    }
    out.push_back(std::move(v));
  }
  if (out.empty()) {
    // Only `false` schemas failed, which valijson reports as nothing but
    // their parents' "a part failed": the deepest of those is where.
    size_t deepest = 0;
    for (size_t i = 0; i < parts.size(); ++i)
      if (parts[i].path.size() > parts[deepest].path.size())
        deepest = i;
    if (parts.empty())
      out.push_back({"", "false", "no value is allowed here (the schema is false)"});
    else
      out.push_back(std::move(parts[deepest]));
  }
  return out;
}

} // namespace seam
