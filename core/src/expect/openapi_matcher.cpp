// `expect."" = { openapi = { spec = "api.yaml", operation = "getUser" } }`:
// a whole HTTP response (the http plugin's status, headers, json) against an
// operation of an OpenAPI 3.0 or 3.1 description: the status is declared, the
// headers the response declares required are there (and fit their schemas),
// the body fits the schema of its media type.
#include "schema_store.hpp"
#include "seam/core/expect/contracts.hpp"
#include "seam/core/expect/json_schema.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>

namespace seam {

namespace {

const std::vector<std::string> kMethods{"get",     "put",  "post",  "delete",
                                        "options", "head", "patch", "trace"};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// An OpenAPI description, read once per process.
struct Description {
  std::mutex mu; // compiling reads and rewrites the set's documents
  std::string uri, file;
  std::unique_ptr<SchemaSet> set;
  json doc; // as written (the set holds the rewritten copy)
};

struct Declared {
  struct Header {
    std::string name; // lower case
    bool required = false;
    std::shared_ptr<const CompiledSchema> schema;
  };
  std::vector<Header> headers;
  std::map<std::string, std::shared_ptr<const CompiledSchema>> media; // type -> schema (or null)
};

class OpenApiContract : public Contract {
public:
  std::string name; // "GET /users/{id} (getUser)"
  std::string file;
  std::map<std::string, Declared> responses; // "200", "2XX", "default"

  std::optional<std::string> check(const json &actual, const std::string &path) const override {
    const std::string p = path.empty() ? "" : path + ".";
    auto found = actual.is_object() ? actual.find("status") : actual.end();
    const json *status = actual.is_object() && found != actual.end() ? &*found : nullptr;
    if (!status || !status->is_number_integer())
      return "'openapi' checks a whole HTTP response (status, headers, json): write it on the "
             "output itself, expect.\"\" = { openapi = { ... } }";
    std::string code = std::to_string(status->get<int64_t>());
    const Declared *d = find(code);
    std::vector<SchemaViolation> v;
    if (!d) {
      std::string declared;
      for (auto &[k, r] : responses)
        declared += (declared.empty() ? "" : ", ") + k;
      return "status " + code + " is not declared for " + name + " in " + file +
             " (declared: " + (declared.empty() ? "none" : declared) + ")";
    }
    const json headers = actual.value("headers", json::object());
    for (const auto &h : d->headers) {
      auto it = headers.find(h.name);
      if (it == headers.end()) {
        if (h.required)
          v.push_back({"headers." + h.name, "required", "the response must have this header"});
        continue;
      }
      if (h.schema) {
        auto hv = h.schema->validate(*it);
        if (!hv.empty() && it->is_string()) {
          // Header values are text: "5" is read as the number a schema may ask for.
          json parsed = json::parse(it->get<std::string>(), nullptr, false);
          if (!parsed.is_discarded() && !parsed.is_structured() && !parsed.is_string())
            if (auto pv = h.schema->validate(parsed);
                std::none_of(pv.begin(), pv.end(), [](auto &x) { return x.keyword == "type"; }))
              hv = std::move(pv);
        }
        for (auto &x : hv)
          v.push_back({"headers." + h.name + x.path, x.keyword, x.message});
      }
    }
    if (!d->media.empty()) {
      std::string type = lower(headers.value("content-type", ""));
      type = type.substr(0, type.find(';'));
      while (!type.empty() && type.back() == ' ')
        type.pop_back();
      const std::shared_ptr<const CompiledSchema> *schema = nullptr;
      bool known = false;
      auto pick = [&](const std::string &t) {
        auto m = d->media.find(t);
        if (m == d->media.end() || known)
          return;
        known = true;
        schema = &m->second;
      };
      if (type.empty() && d->media.size() == 1) {
        pick(d->media.begin()->first);
        type = d->media.begin()->first;
      }
      pick(type);
      pick(type.substr(0, type.find('/')) + "/*");
      pick("*/*");
      if (!known) {
        std::string declared;
        for (auto &[k, s] : d->media)
          declared += (declared.empty() ? "" : ", ") + k;
        v.push_back({"headers.content-type", "content",
                     (type.empty() ? "no content type" : "\"" + type + "\"") +
                         " is not declared for this response (declared: " + declared + ")"});
      } else if (*schema) {
        bool is_json =
            type == "application/json" || type.find("+json") != std::string::npos || type == "*/*";
        auto body = actual.find("json");
        if (body != actual.end())
          for (auto &x : (*schema)->validate(*body))
            v.push_back({"json" + x.path, x.keyword, x.message});
        else if (is_json)
          v.push_back(
              {"json", "content", "the body is not JSON, but " + type + " declares a schema"});
      }
    }
    if (v.empty())
      return std::nullopt;
    std::string head = "response " + code + " does not fit " + name + " in " + file + " (" +
                       std::to_string(v.size()) + (v.size() == 1 ? " violation)" : " violations)");
    return head + list_violations(p, v);
  }

private:
  const Declared *find(const std::string &code) const {
    for (std::string k :
         {code, code.substr(0, 1) + "XX", code.substr(0, 1) + "xx", std::string("default")}) {
      auto it = responses.find(k);
      if (it != responses.end())
        return &it->second;
    }
    return nullptr;
  }
};

std::mutex g_mu;
std::map<std::string, std::shared_ptr<Description>> g_descriptions;

// The description at `uri`, read (and cached) now; nullptr and *error if not.
std::shared_ptr<Description> description(const std::string &uri, const std::string &file,
                                         std::string *error) {
  std::lock_guard<std::mutex> lock(g_mu);
  auto hit = g_descriptions.find(uri);
  if (hit != g_descriptions.end())
    return hit->second;
  auto doc = fetch_file(uri, error);
  if (!doc)
    return nullptr;
  std::string version = doc->is_object() ? doc->value("openapi", "") : "";
  SchemaDialect dialect;
  if (version.rfind("3.0", 0) == 0) {
    dialect = SchemaDialect::OpenApi30;
  } else if (version.rfind("3.1", 0) == 0) {
    dialect = SchemaDialect::Draft2020_12;
    std::string d = doc->value("jsonSchemaDialect", "");
    if (!d.empty() && !dialect_of(d)) {
      *error = file + ": jsonSchemaDialect \"" + d + "\" is not one seam validates";
      return nullptr;
    }
  } else {
    *error = file + " is not an OpenAPI 3.0 or 3.1 description (its \"openapi\" field is " +
             (doc->is_object() && doc->contains("openapi") ? (*doc)["openapi"].dump()
                                                           : std::string("missing")) +
             ")";
    return nullptr;
  }
  auto d = std::make_shared<Description>();
  d->uri = uri;
  d->file = file;
  d->doc = *doc;
  d->set = std::make_unique<SchemaSet>();
  std::vector<std::string> none;
  if (!d->set->add(uri, std::move(*doc), dialect, error, &none))
    return nullptr;
  g_descriptions.emplace(uri, d);
  return d;
}

// A local `$ref` (responses and headers may be references): the pointer it
// names, followed until a value that is no reference.
const json *follow(const json &doc, const json *v, std::string &ptr, std::string *error) {
  for (int hops = 0; v && v->is_object() && v->contains("$ref"); ++hops) {
    const json &r = (*v)["$ref"];
    if (!r.is_string() || r.get<std::string>().rfind("#", 0) != 0 || hops > 32) {
      *error = "only local references (#/...) are followed here, not " + r.dump();
      return nullptr;
    }
    ptr = r.get<std::string>().substr(1);
    try {
      v = &doc.at(json::json_pointer(ptr));
    } catch (const json::exception &) {
      *error = "$ref " + r.dump() + " leads nowhere";
      return nullptr;
    }
  }
  return v;
}

} // namespace

std::shared_ptr<const Contract> compile_openapi_contract(const json &operand, const SourceLoc &loc,
                                                         std::vector<Diagnostic> &errors) {
  const std::string usage =
      "openapi = { spec = \"api/openapi.yaml\", operation = \"getUser\" } (an operationId, or "
      "\"GET /users/{id}\": a method and a path as the description writes it)";
  if (!operand.is_object() || !operand.contains("spec") || !operand["spec"].is_string() ||
      !operand.contains("operation") || !operand["operation"].is_string()) {
    errors.push_back(
        {loc, "'openapi' takes a table with 'spec' and 'operation', not " + operand.dump(), usage});
    return nullptr;
  }
  for (auto &[k, v] : operand.items())
    if (k != "spec" && k != "operation") {
      errors.push_back({loc, "unknown key '" + k + "' in 'openapi'", usage});
      return nullptr;
    }
  const std::string file = operand["spec"].get<std::string>();
  const std::string operation = operand["operation"].get<std::string>();
  auto path = std::filesystem::path(file).is_absolute()
                  ? std::filesystem::path(file)
                  : std::filesystem::path(suite_folder(loc)) / file;
  std::string uri = file_uri(path.string()), why;
  auto d = description(uri, file, &why);
  if (!d) {
    errors.push_back({loc, "openapi spec \"" + file + "\": " + why,
                      "the description is JSON or YAML, named relative to the suite's folder"});
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(d->mu);
  const json &doc = d->doc;
  const json paths = doc.value("paths", json::object());
  // The operation: "METHOD /template" or an operationId.
  std::string op_ptr, label;
  const json *op = nullptr;
  std::vector<std::string> known;
  auto space = operation.find(' ');
  std::string method = space == std::string::npos ? "" : lower(operation.substr(0, space));
  for (auto &[tmpl, item] : paths.items()) {
    if (!item.is_object())
      continue;
    for (const auto &m : kMethods) {
      auto o = item.find(m);
      if (o == item.end() || !o->is_object())
        continue;
      std::string id = o->value("operationId", "");
      std::string here = lower(m);
      std::string mp = m;
      std::transform(mp.begin(), mp.end(), mp.begin(), ::toupper);
      mp += " " + tmpl;
      known.push_back(id.empty() ? mp : id);
      bool hit = (!method.empty() && method == m && operation.substr(space + 1) == tmpl) ||
                 (!id.empty() && id == operation);
      if (hit && !op) {
        op = &*o;
        op_ptr = "/paths/" + schema_detail::escape_token(tmpl) + "/" + m;
        label = mp + (id.empty() ? "" : " (" + id + ")");
      }
    }
  }
  if (!op) {
    std::string near = closest(operation, known);
    errors.push_back({loc, "no operation \"" + operation + "\" in " + file,
                      near.empty() ? "operations are named by operationId or as \"GET /path/{id}\""
                                   : "did you mean \"" + near + "\"?"});
    return nullptr;
  }
  auto c = std::make_shared<OpenApiContract>();
  c->name = label;
  c->file = file;
  const json responses = op->value("responses", json::object());
  auto fail = [&](const std::string &msg) {
    errors.push_back({loc, "openapi spec \"" + file + "\", " + label + ": " + msg, ""});
    return nullptr;
  };
  for (auto &[code, raw] : responses.items()) {
    std::string rptr = op_ptr + "/responses/" + schema_detail::escape_token(code);
    const json *r = follow(doc, &raw, rptr, &why);
    if (!r)
      return fail("response " + code + ": " + why);
    Declared dec;
    if (auto hs = r->find("headers"); hs != r->end() && hs->is_object()) {
      for (auto &[name, rawh] : hs->items()) {
        std::string hptr = rptr + "/headers/" + schema_detail::escape_token(name);
        const json *h = follow(doc, &rawh, hptr, &why);
        if (!h)
          return fail("header " + name + ": " + why);
        Declared::Header hd;
        hd.name = lower(name);
        hd.required = h->value("required", false);
        if (h->contains("schema")) {
          hd.schema = CompiledSchema::compile(*d->set, uri + "#" + hptr + "/schema", &why);
          if (!hd.schema)
            return fail("header " + name + ": " + why);
        }
        dec.headers.push_back(std::move(hd));
      }
    }
    if (auto content = r->find("content"); content != r->end() && content->is_object()) {
      for (auto &[type, media] : content->items()) {
        std::shared_ptr<const CompiledSchema> s;
        if (media.is_object() && media.contains("schema")) {
          s = CompiledSchema::compile(
              *d->set,
              uri + "#" + rptr + "/content/" + schema_detail::escape_token(type) + "/schema", &why);
          if (!s)
            return fail("response " + code + ", " + type + ": " + why);
        }
        dec.media[lower(type)] = s;
      }
    }
    c->responses[code] = std::move(dec);
  }
  return c;
}

} // namespace seam
