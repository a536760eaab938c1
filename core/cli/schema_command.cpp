// `seam schema`: a JSON Schema (draft-07) of the suite format, with the
// inputs of every step and the configuration of every resource kind of the
// plugins on the search path, so that TOML editors that read JSON Schema
// (Taplo, Even Better TOML) complete and check suites as they are typed.
// What it cannot say (a `${name}` that is not defined, a resource that `on`
// does not name) `seam check` still does.
#include "commands.hpp"

#include "seam/core/report/reporters.hpp"

#include <cstdio>

namespace seam::cli {

namespace {

const json kReference = {{"$ref", "#/definitions/reference"}};

// A plugin's schema as a part of the suite's: a `${...}` may stand for any
// value (it is checked once interpolated), so every place that takes a value
// also takes a string holding a reference. The table itself (`with`, a
// resource) stays a table: editors then name the offending key.
json allow_references(const json &schema, int depth = 1) {
  if (!schema.is_object() || depth > 32)
    return schema;
  json out = schema;
  out.erase("$schema");
  out.erase("$id");
  for (const char *key : {"properties", "patternProperties", "definitions", "$defs"})
    if (out.contains(key) && out[key].is_object())
      for (auto &[name, sub] : out[key].items())
        sub = allow_references(sub, depth + 1);
  for (const char *key : {"items", "additionalProperties", "additionalItems", "not", "contains",
                          "if", "then", "else"})
    if (out.contains(key) && out[key].is_object())
      out[key] = allow_references(out[key], depth + 1);
  if (out.contains("items") && out["items"].is_array())
    for (auto &sub : out["items"])
      sub = allow_references(sub, depth + 1);
  for (const char *key : {"anyOf", "oneOf", "allOf"})
    if (out.contains(key) && out[key].is_array())
      for (auto &sub : out[key])
        sub = allow_references(sub, depth + 1);
  if (depth == 0)
    return out;
  return {{"anyOf", json::array({std::move(out), kReference})}};
}

json step_schema(const std::vector<std::string> &uses, const json &by_use) {
  json step = {
      {"type", "object"},
      {"description", "a step: `use` names PLUGIN.STEP, `with` is its input"},
      {"required", {"use"}},
      {"additionalProperties", false},
      {"properties",
       {{"name", {{"type", "string"}, {"description", "shown in output; default: the use name"}}},
        {"description", {{"type", "string"}}},
        {"use", {{"type", "string"}, {"enum", uses}, {"description", "PLUGIN.STEP"}}},
        {"on", {{"type", "string"}, {"description", "the resource the step works on"}}},
        {"with", {{"description", "the step's input (seam plugins info PLUGIN)"}}},
        {"expect",
         {{"type", "object"},
          {"description",
           "PATH = value or matcher; error = true or a matcher: the step must fail"}}},
        {"save",
         {{"type", "object"},
          {"additionalProperties", {{"type", "string"}}},
          {"description", "NAME = \"path.in.output\": variables for later steps"}}},
        {"timeout", {{"$ref", "#/definitions/duration"}}},
        {"retry",
         {{"type", "object"},
          {"additionalProperties", false},
          {"properties",
           {{"attempts", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000000}}},
            {"interval", {{"$ref", "#/definitions/duration"}}},
            {"backoff", {{"type", "number"}, {"minimum", 1}, {"maximum", 100}}}}}}}}}};
  // `use` selects the schema of `with`.
  json choices = json::array();
  for (const auto &[use, with] : by_use.items())
    choices.push_back({{"if", {{"properties", {{"use", {{"const", use}}}}}, {"required", {"use"}}}},
                       {"then", {{"properties", {{"with", with}}}}}});
  if (!choices.empty())
    step["allOf"] = std::move(choices);
  return step;
}

json resource_schema(const std::vector<const LoadedPlugin *> &plugins) {
  json names = json::array(), choices = json::array();
  for (const LoadedPlugin *p : plugins) {
    if (!p->has_resources())
      continue;
    names.push_back(p->name);
    json kinds = json::array();
    for (const auto &k : p->kinds)
      if (!k.name.empty())
        kinds.push_back(k.name);
    // `kind` names one of the plugin's kinds.
    json of_plugin = {{"properties", {{"plugin", {{"const", p->name}}}}}, {"required", {"plugin"}}};
    json kind_names = kinds.empty() ? json(false) : json{{"enum", kinds}};
    choices.push_back({{"if", of_plugin}, {"then", {{"properties", {{"kind", kind_names}}}}}});
    const ResourceKind *plain = p->default_kind();
    for (const auto &k : p->kinds) {
      // The table is the kind's configuration plus `plugin` and `kind`.
      json config = k.config_schema.is_object() ? k.config_schema : json::object();
      if (!config.contains("type"))
        config["type"] = "object";
      config["properties"]["plugin"] = {{"const", p->name}};
      if (!kinds.empty())
        config["properties"]["kind"] = {{"enum", kinds}};
      config = allow_references(config, 0);
      json when = {{"properties", {{"plugin", {{"const", p->name}}}}}, {"required", {"plugin"}}};
      if (&k == plain)
        // Without `kind`, or naming it: the default kind.
        when["anyOf"] = json::array(
            {{{"not", {{"required", {"kind"}}}}},
             {{"properties", {{"kind", {{"const", k.name}}}}}, {"required", {"kind"}}}});
      else {
        when["properties"]["kind"] = {{"const", k.name}};
        when["required"].push_back("kind");
      }
      choices.push_back({{"if", when}, {"then", config}});
    }
  }
  json r = {{"type", "object"},
            {"description", "a resource a plugin opens; the other keys are its configuration"},
            {"required", {"plugin"}},
            {"properties",
             {{"plugin", {{"type", "string"}, {"enum", names}}}, {"kind", {{"type", "string"}}}}}};
  if (!choices.empty())
    r["allOf"] = std::move(choices);
  return r;
}

} // namespace

json suite_json_schema(const std::vector<const LoadedPlugin *> &plugins) {
  std::vector<std::string> uses;
  json by_use = json::object();
  for (const LoadedPlugin *p : plugins)
    for (const auto &[n, s] : p->steps) {
      uses.push_back(s.full_name);
      json with = s.input_schema.is_null() ? json{{"type", "object"}} : s.input_schema;
      if (!s.summary.empty() && with.is_object() && !with.contains("description"))
        with["description"] = s.summary;
      by_use[s.full_name] = allow_references(with, 0);
    }
  json duration = {{"type", "string"},
                   {"pattern", "^[0-9]*\\.?[0-9]+(us|ms|s|m|h)$"},
                   {"description", "a duration with a unit: 500us, 250ms, 2s, 1.5s, 1m, 1h"}};
  json test = {
      {"type", "object"},
      {"required", {"name"}},
      {"additionalProperties", false},
      {"properties",
       {{"name", {{"type", "string"}, {"description", "unique in the file"}}},
        {"description", {{"type", "string"}}},
        {"tags", {{"type", "array"}, {"items", {{"type", "string"}}}}},
        {"timeout", {{"$ref", "#/definitions/duration"}}},
        {"skip", {{"type", {"boolean", "string"}}, {"description", "true, or the reason"}}},
        {"cases",
         {{"description", "one test per case, its values as ${case.COLUMN}: a list of tables, "
                          "or a CSV (header row) or JSON (array of objects) file"},
          {"anyOf",
           {{{"type", "array"}, {"minItems", 1}, {"items", {{"type", "object"}}}},
            {{"type", "string"}, {"pattern", "\\.(csv|json)$"}}}}}},
        {"steps", {{"type", "array"}, {"items", {{"$ref", "#/definitions/step"}}}}},
        {"cleanup", {{"type", "array"}, {"items", {{"$ref", "#/definitions/step"}}}}}}}};
  json steps = {{"type", "array"}, {"items", {{"$ref", "#/definitions/step"}}}};
  return {{"$schema", "http://json-schema.org/draft-07/schema#"},
          {"title", "seam suite"},
          {"description", "A seam suite file (docs/suite-reference.md), with the steps of the "
                          "plugins seam found when this schema was written (seam schema)."},
          {"type", "object"},
          {"additionalProperties", false},
          {"properties",
           {{"suite",
             {{"type", "object"},
              {"additionalProperties", false},
              {"properties",
               {{"name", {{"type", "string"}}},
                {"description", {{"type", "string"}}},
                {"tags", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                {"step_timeout", {{"$ref", "#/definitions/duration"}}},
                {"requires",
                 {{"type", "object"},
                  {"additionalProperties", {{"type", "string"}}},
                  {"description",
                   "PLUGIN = \"version range\": the plugin versions the suite needs"}}}}}}},
            {"vars",
             {{"type", "object"},
              {"description", "NAME = value, or { env = \"NAME\", default = ..., secret = true }, "
                              "or { value = ..., secret = true }"}}},
            {"resources", {{"type", "object"}, {"additionalProperties", resource_schema(plugins)}}},
            {"setup", steps},
            {"test", {{"type", "array"}, {"items", {{"$ref", "#/definitions/test"}}}}},
            {"teardown", steps}}},
          {"definitions",
           {{"reference",
             {{"type", "string"},
              {"pattern", "\\$\\{"},
              {"description", "a ${...} reference, checked once interpolated"}}},
            {"duration", duration},
            {"step", step_schema(uses, by_use)},
            {"test", test}}}};
}

int schema_command(PluginHost &host, const std::string &output) {
  std::vector<const LoadedPlugin *> plugins;
  for (const auto &name : host.available()) {
    try {
      if (const LoadedPlugin *p = host.find(name))
        plugins.push_back(p);
    } catch (const PluginError &e) {
      // A refused library leaves its steps out; the others are still worth
      // completing.
      std::fprintf(stderr, "warning: %s (its steps are not in the schema)\n", e.what());
    }
  }
  std::string text = suite_json_schema(plugins).dump(2) + "\n";
  if (output.empty() || output == "-") {
    std::fputs(text.c_str(), stdout);
    return kPassed;
  }
  std::string error;
  if (!write_file_atomic(output, text, &error)) {
    std::fprintf(stderr, "error: %s\n", error.c_str());
    return kReport;
  }
  std::fprintf(stderr, "wrote %s: the suite format with %zu plugin%s\n", output.c_str(),
               plugins.size(), plugins.size() == 1 ? "" : "s");
  return kPassed;
}

} // namespace seam::cli
