// plugin_info.cpp - see plugin_info.hpp. Everything printed comes from the
// plugin's own schemas; the layout is one field per line:
//   NAME  TYPE  (required) DESCRIPTION [default D, minimum A, maximum B, one of X, Y]
#include "plugin_info.hpp"

#include "plugin_list.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace seam {

namespace {

std::string brief(const json &v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

// The type column: the schema's type, or what its enum or const values are.
std::string type_of(const json &prop) {
  if (auto t = prop.find("type"); t != prop.end()) {
    if (t->is_string())
      return t->get<std::string>();
    std::string s;
    for (const auto &e : *t)
      s += (s.empty() ? "" : "|") + (e.is_string() ? e.get<std::string>() : brief(e));
    return s;
  }
  const json *values = nullptr;
  if (auto e = prop.find("enum"); e != prop.end() && e->is_array() && !e->empty())
    values = &*e;
  if (values != nullptr) {
    std::set<std::string> kinds;
    for (const auto &v : *values)
      kinds.insert(v.is_string()    ? "string"
                   : v.is_boolean() ? "boolean"
                   : v.is_number()  ? "number"
                                    : "any");
    if (kinds.size() == 1)
      return *kinds.begin();
  }
  return "any";
}

// What the schema says of a value beyond its type, as `seam check` enforces
// it: default, bounds, allowed values.
std::string facts_of(const json &prop) {
  std::vector<std::string> facts;
  if (auto d = prop.find("default"); d != prop.end())
    facts.push_back("default " + brief(*d));
  auto bound = [&](const char *key, const char *label) {
    if (auto b = prop.find(key); b != prop.end() && b->is_number())
      facts.push_back(std::string(label) + " " + brief(*b));
  };
  bound("minimum", "minimum");
  bound("exclusiveMinimum", "greater than");
  bound("maximum", "maximum");
  bound("exclusiveMaximum", "less than");
  bound("minLength", "minimum length");
  bound("maxLength", "maximum length");
  bound("minItems", "minimum items");
  bound("maxItems", "maximum items");
  if (auto e = prop.find("enum"); e != prop.end() && e->is_array()) {
    std::string list;
    for (const auto &v : *e)
      list += (list.empty() ? "" : ", ") + brief(v);
    facts.push_back("one of " + list);
  }
  if (auto c = prop.find("const"); c != prop.end())
    facts.push_back("exactly " + brief(*c));
  std::string s;
  for (const auto &f : facts)
    s += (s.empty() ? "[" : ", ") + f;
  return s.empty() ? s : s + "]";
}

// A table's fields, one per line, with the fields of nested tables (and of
// the tables in lists: `routes[]`) below their parent, as dotted names.
void print_fields(std::FILE *out, const json &schema, const std::string &prefix, const char *indent,
                  int depth) {
  std::set<std::string> required;
  if (schema.contains("required") && schema["required"].is_array())
    for (const auto &r : schema["required"])
      if (r.is_string())
        required.insert(r.get<std::string>());
  for (const auto &[name, prop] : schema["properties"].items()) {
    if (!prop.is_object()) {
      std::fprintf(out, "%s%-22s %s\n", indent, (prefix + name).c_str(), "any");
      continue;
    }
    std::string text = required.count(name) ? "(required)" : "";
    std::string desc = prop.value("description", "");
    std::string facts = facts_of(prop);
    for (const std::string *part : {&desc, &facts})
      if (!part->empty())
        text += (text.empty() ? "" : " ") + *part;
    std::string full = prefix + name;
    std::string line = std::string(indent) + full;
    line.resize(std::max(line.size() + 1, std::string(indent).size() + 23), ' ');
    line += type_of(prop);
    if (!text.empty()) {
      line.resize(std::max(line.size() + 1, std::string(indent).size() + 36), ' ');
      line += text;
    }
    std::fprintf(out, "%s\n", line.c_str());
    if (depth >= 4)
      continue;
    if (prop.contains("properties") && prop["properties"].is_object())
      print_fields(out, prop, full + ".", indent, depth + 1);
    else if (prop.contains("items") && prop["items"].is_object() &&
             prop["items"].contains("properties") && prop["items"]["properties"].is_object())
      print_fields(out, prop["items"], full + "[].", indent, depth + 1);
  }
}

void print_schema_fields(std::FILE *out, const json &schema, const char *indent) {
  if (!schema.is_object() || !schema.contains("properties") || !schema["properties"].is_object()) {
    std::fprintf(out, "%s(any table)\n", indent);
    return;
  }
  print_fields(out, schema, "", indent, 0);
}

// The attributes a resource kind declares it publishes ("x-seam-attributes"
// in its config schema: NAME -> a schema with type and description), which
// later steps read as ${resources.NAME.ATTR}.
void print_attributes(std::FILE *out, const json &config_schema) {
  if (!config_schema.is_object())
    return;
  auto a = config_schema.find("x-seam-attributes");
  if (a == config_schema.end() || !a->is_object() || a->empty())
    return;
  std::fprintf(out, "  publishes ${resources.NAME.ATTR}:\n");
  print_fields(out, json{{"properties", *a}}, "", "    ", 4);
}

} // namespace

void print_plugin_info(const LoadedPlugin &p, std::FILE *out) {
  std::fprintf(out, "%s %s - %s\n  file: %s\n  ABI:  %u.%u\n", p.name.c_str(), p.version.c_str(),
               p.summary.c_str(), p.file.c_str(), p.abi_major, p.abi_minor);
  std::fflush(out);
  cli::print_pack_docs(p); // the pack's docs and examples, when a pack installed it
  for (const auto &k : p.kinds) {
    // A kind that a table without `kind` opens is shown without it.
    bool plain = &k == p.default_kind();
    std::fprintf(out, "\nresource%s%s: [resources.NAME] plugin = \"%s\"%s\n  %s\n",
                 k.name.empty() ? "" : " kind ", k.name.c_str(), p.name.c_str(),
                 plain ? "" : (" kind = \"" + k.name + "\"").c_str(), k.summary.c_str());
    print_schema_fields(out, k.config_schema, "    ");
    print_attributes(out, k.config_schema);
  }
  for (const auto &[n, s] : p.steps) {
    std::string res = s.resource == SEAM_RESOURCE_REQUIRED   ? " (on a resource"
                      : s.resource == SEAM_RESOURCE_OPTIONAL ? " (optionally on a resource"
                                                             : "";
    // With several kinds, say which one the step works on.
    if (!res.empty())
      res += s.kind && p.kinds.size() > 1 ? " of kind " + s.kind->label() + ")" : ")";
    std::fprintf(out, "\n%s%s\n  %s\n  inputs:\n", s.full_name.c_str(), res.c_str(),
                 s.summary.c_str());
    print_schema_fields(out, s.input_schema, "    ");
    if (!s.output_schema.is_null()) {
      std::fprintf(out, "  outputs:\n");
      print_schema_fields(out, s.output_schema, "    ");
    }
  }
}

} // namespace seam
