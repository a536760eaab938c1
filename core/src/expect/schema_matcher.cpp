// `expect = { json = { schema = "contracts/user.json" } }`: the value at the
// path against a JSON Schema, every violation listed with where and which keyword.
#include "seam/core/expect/contracts.hpp"
#include "seam/core/expect/json_schema.hpp"

#include <filesystem>
#include <map>
#include <mutex>

namespace seam {

std::string suite_folder(const SourceLoc &loc) {
  if (!loc.file)
    return ".";
  auto parent = std::filesystem::path(loc.file->path).parent_path();
  return parent.empty() ? "." : parent.string();
}

std::string list_violations(const std::string &prefix, const std::vector<SchemaViolation> &v) {
  std::string out;
  size_t shown = std::min(v.size(), kMaxViolationsShown);
  for (size_t i = 0; i < shown; ++i)
    out += "\n          " + prefix + v[i].path + ": " + v[i].keyword + ": " + v[i].message;
  if (v.size() > shown)
    out += "\n          ... and " + std::to_string(v.size() - shown) + " more";
  return out;
}

namespace {

std::mutex g_map_mu;
std::vector<std::pair<std::string, std::string>> g_uri_map;

// fetch_file, after the URI mappings of map_schema_uris.
std::optional<json> fetch_mapped(const std::string &uri, std::string *error) {
  {
    std::lock_guard<std::mutex> lock(g_map_mu);
    for (auto &[prefix, local] : g_uri_map)
      if (uri.rfind(prefix, 0) == 0)
        return fetch_file(file_uri(local + uri.substr(prefix.size())), error);
  }
  return fetch_file(uri, error);
}

class SchemaContract : public Contract {
public:
  SchemaContract(std::shared_ptr<const CompiledSchema> s, std::string name)
      : schema_(std::move(s)), name_(std::move(name)) {}

  std::optional<std::string> check(const json &actual, const std::string &path) const override {
    auto v = schema_->validate(actual);
    if (v.empty())
      return std::nullopt;
    std::string head = "does not match " + name_ + " (" + std::to_string(v.size()) +
                       (v.size() == 1 ? " violation)" : " violations)");
    return head + list_violations(path.empty() ? "output" : path, v);
  }

private:
  std::shared_ptr<const CompiledSchema> schema_;
  std::string name_;
};

// Schema files are compiled once per process, whichever suites name them.
struct FileCache {
  std::mutex mu;
  std::map<std::string, std::shared_ptr<const CompiledSchema>> compiled;
};

FileCache &file_cache() {
  static FileCache c;
  return c;
}

} // namespace

void map_schema_uris(const std::string &prefix, const std::string &local) {
  std::lock_guard<std::mutex> lock(g_map_mu);
  g_uri_map.emplace_back(prefix, local);
}

std::shared_ptr<const Contract> compile_schema_contract(const json &operand, const SourceLoc &loc,
                                                        std::vector<Diagnostic> &errors) {
  const std::string folder = suite_folder(loc);
  if (operand.is_string()) {
    std::string text = operand.get<std::string>();
    auto hash = text.find('#');
    std::string file = text.substr(0, hash);
    std::string fragment = hash == std::string::npos ? "" : text.substr(hash + 1);
    if (file.empty()) {
      errors.push_back({loc, "'schema' names no file: " + operand.dump(),
                        "schema = \"contracts/user.json\" (relative to the suite's folder), or "
                        "an inline table: schema = { type = \"object\" }"});
      return nullptr;
    }
    auto path = std::filesystem::path(file).is_absolute() ? std::filesystem::path(file)
                                                          : std::filesystem::path(folder) / file;
    std::string uri = file_uri(path.string());
    std::string key = uri + "#" + fragment;
    auto &cache = file_cache();
    std::lock_guard<std::mutex> lock(cache.mu);
    auto hit = cache.compiled.find(key);
    std::shared_ptr<const CompiledSchema> compiled;
    if (hit != cache.compiled.end()) {
      compiled = hit->second;
    } else {
      std::string why;
      auto doc = fetch_file(uri, &why);
      SchemaSet set(fetch_mapped);
      if (doc && set.add(uri, std::move(*doc), SchemaDialect::Draft2020_12, &why))
        compiled = CompiledSchema::compile(set, uri + "#" + fragment, &why);
      if (!compiled) {
        errors.push_back({loc, "schema " + operand.dump() + ": " + why,
                          "schema files are JSON (or YAML: .yaml, .yml), named relative to the "
                          "suite's folder (" +
                              folder + ")"});
        return nullptr;
      }
      cache.compiled.emplace(key, compiled);
    }
    return std::make_shared<SchemaContract>(compiled, file);
  }
  if (operand.is_object() || operand.is_boolean()) {
    // An inline schema: its relative $refs are files beside the suite.
    std::string uri = file_uri((std::filesystem::path(folder) / kInlineName).string());
    std::string why;
    SchemaSet set(fetch_mapped);
    std::shared_ptr<const CompiledSchema> compiled;
    if (set.add(uri, operand, SchemaDialect::Draft2020_12, &why))
      compiled = CompiledSchema::compile(set, uri, &why);
    if (!compiled) {
      errors.push_back({loc, "schema: " + why, ""});
      return nullptr;
    }
    return std::make_shared<SchemaContract>(compiled, "the schema");
  }
  errors.push_back({loc,
                    "'schema' takes a file name or an inline schema table, not " + operand.dump(),
                    "schema = \"contracts/user.json\" or schema = { type = \"object\", "
                    "required = [\"id\"] }"});
  return nullptr;
}

} // namespace seam
