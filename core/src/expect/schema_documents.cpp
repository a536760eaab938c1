// The documents a schema is made of, rewritten once into the form valijson
// reads well. valijson (Debian's libvalijson-dev, 1.0) knows draft-07 only,
// resolves a relative `$ref` in a fetched document against the wrong base,
// runs `pattern` on std::regex (which recurses per character: a 100 KB
// string crashes it) and checks three formats. So, per document:
//   - every `$id`, `$anchor` is indexed, and every `$ref` rewritten to an
//     absolute "document#/pointer" (then removed `$id`s cannot mislead valijson);
//   - 2020-12's keywords become their draft-07 forms (prefixItems -> items,
//     dependentRequired -> dependencies, a `$ref` beside other keywords -> allOf),
//     OpenAPI 3.0's `nullable` and boolean exclusiveMinimum too; the few with
//     no draft-07 form are refused by name;
//   - `pattern` and `format` are renamed to keywords of seam's own, checked
//     with RE2 and format_holds() (json_schema.cpp).
#include "schema_store.hpp"
#include "seam/core/expect/json_schema.hpp"

#include "seam/core/base/regex.hpp"

#include <algorithm>

namespace seam {

using namespace schema_detail;

namespace {

using Store = SchemaSet::Store;

class Normaliser {
public:
  Normaliser(Store &s, std::string doc, SchemaDialect d) : s_(s), doc_(std::move(doc)), d_(d) {}

  // Records every `$id` and anchor below n (first pass: a `$ref` may name one
  // that comes later in the document).
  void index(const json &n, const std::string &ptr, std::string base) {
    if (!n.is_object() || too_deep(ptr))
      return;
    bool ref_hides = d_ != SchemaDialect::Draft2020_12 && n.contains("$ref");
    if (auto id = n.find("$id"); id != n.end() && id->is_string() && !ref_hides) {
      const std::string &v = id->get_ref<const std::string &>();
      if (!v.empty() && v[0] == '#') {
        s_.ids.emplace(split_fragment(base).first + v, std::make_pair(doc_, ptr));
      } else {
        base = resolve_uri(base, v);
        s_.ids.emplace(split_fragment(base).first, std::make_pair(doc_, ptr));
      }
    }
    for (const char *k : {"$anchor", "$dynamicAnchor"})
      if (auto a = n.find(k); a != n.end() && a->is_string() && d_ == SchemaDialect::Draft2020_12)
        s_.ids.emplace(split_fragment(base).first + "#" + a->get<std::string>(),
                       std::make_pair(doc_, ptr));
    for_each_subschema(n, ptr, [&](const json &c, const std::string &p) { index(c, p, base); });
  }

  // Second pass: refs made absolute, keywords to their draft-07 forms.
  bool rewrite(json &n, const std::string &ptr, std::string base, std::string *error) {
    if (!n.is_object())
      return true;
    if (too_deep(ptr)) {
      *error = "the schema at " + where(ptr).substr(0, 200) + "... is nested too deeply";
      return false;
    }
    bool draft7_ref = d_ != SchemaDialect::Draft2020_12 && n.contains("$ref");
    if (auto id = n.find("$id"); id != n.end() && id->is_string()) {
      const std::string &v = id->get_ref<const std::string &>();
      if (!draft7_ref && !(v.size() && v[0] == '#'))
        base = resolve_uri(base, v);
      n.erase(id);
    }
    if (auto ref = n.find("$ref"); ref != n.end() && ref->is_string()) {
      auto target = locate(base, ref->get<std::string>(), error);
      if (!target)
        return false;
      *ref = *target;
      if (draft7_ref) // draft-07: a $ref's siblings are ignored
        return true;
    }
    if (d_ == SchemaDialect::Draft2020_12) {
      for (const char *k : {"unevaluatedProperties", "unevaluatedItems", "$dynamicRef",
                            "$recursiveRef", "minContains", "maxContains"})
        if (n.contains(k)) {
          *error = "'" + std::string(k) + "' (at " + where(ptr) +
                   ") is not supported: seam's validator knows the keywords of draft-07 and "
                   "those of 2020-12 that have a draft-07 form";
          return false;
        }
    }
    bool ok = true;
    for_each_subschema(
        n, ptr, [&](json &c, const std::string &p) { ok = ok && rewrite(c, p, base, error); });
    if (!ok)
      return false;
    if (auto p = n.find("pattern"); p != n.end() && p->is_string()) {
      std::string why;
      if (!Regex::compile(p->get<std::string>(), &why)) {
        *error = "bad pattern " + p->dump() + " at " + where(ptr) + ": " + why +
                 " (patterns are RE2 regular expressions: no backreferences or lookaround)";
        return false;
      }
      n["x-seam-pattern"] = *p;
      n.erase("pattern");
    }
    if (auto f = n.find("format"); f != n.end() && f->is_string()) {
      n["x-seam-format"] = *f;
      n.erase("format");
    }
    if (d_ == SchemaDialect::Draft2020_12)
      to_draft7(n);
    if (d_ == SchemaDialect::OpenApi30)
      from_openapi30(n);
    return true;
  }

private:
  // Schemas are walked (here and by valijson) recursively: a bound keeps a
  // hostile or generated schema from exhausting the stack.
  static bool too_deep(const std::string &ptr) {
    return static_cast<size_t>(std::count(ptr.begin(), ptr.end(), '/')) > kMaxSchemaDepth;
  }

  std::string where(const std::string &ptr) const {
    return display_path(doc_) + (ptr.empty() ? "" : "#" + ptr);
  }

  void to_draft7(json &n) {
    if (auto pi = n.find("prefixItems"); pi != n.end() && pi->is_array()) {
      json prefix = *pi;
      n.erase("prefixItems");
      if (auto it = n.find("items"); it != n.end()) {
        n["additionalItems"] = *it;
        n.erase("items");
      }
      n["items"] = std::move(prefix);
    }
    for (const char *k : {"dependentRequired", "dependentSchemas"}) {
      if (auto it = n.find(k); it != n.end() && it->is_object()) {
        json &deps = n["dependencies"];
        if (!deps.is_object())
          deps = json::object();
        for (auto &[name, v] : it->items())
          deps[name] = v;
        n.erase(k);
      }
    }
    // In 2020-12 a $ref applies with its siblings; in draft-07 it hides them.
    if (auto ref = n.find("$ref"); ref != n.end() && n.size() > 1) {
      json r = {{"$ref", *ref}};
      n.erase("$ref");
      n["allOf"].push_back(std::move(r));
    }
  }

  void from_openapi30(json &n) {
    if (auto nb = n.find("nullable"); nb != n.end()) {
      if (nb->is_boolean() && nb->get<bool>()) {
        if (auto t = n.find("type"); t != n.end() && t->is_string())
          *t = json::array({*t, "null"});
        if (auto e = n.find("enum"); e != n.end() && e->is_array())
          e->push_back(nullptr);
      }
      n.erase("nullable");
    }
    for (auto [ex, bound] :
         {std::pair{"exclusiveMinimum", "minimum"}, std::pair{"exclusiveMaximum", "maximum"}}) {
      auto e = n.find(ex);
      if (e == n.end() || !e->is_boolean())
        continue;
      bool on = e->get<bool>();
      n.erase(ex);
      if (on && n.contains(bound)) {
        n[ex] = n[bound];
        n.erase(bound);
      }
    }
  }

  // "document#/pointer" that `ref` (relative to `base`) names; fetches and
  // adds the document when it is new.
  std::optional<std::string> locate(const std::string &base, const std::string &ref,
                                    std::string *error) {
    std::string abs = resolve_uri(base, ref);
    auto [uri, frag_enc] = split_fragment(abs);
    std::string frag = pct_decode(frag_enc);
    auto hit = s_.ids.find(uri);
    if (hit == s_.ids.end() && !s_.docs.count(uri)) {
      std::string why;
      auto doc = s_.fetch ? s_.fetch(uri, &why) : std::nullopt;
      if (!doc) {
        *error = "$ref \"" + ref + "\" in " + where("") + ": " +
                 (why.empty() ? "cannot fetch " + uri : why);
        return std::nullopt;
      }
      if (!s_.add(uri, std::move(*doc), d_, error, nullptr))
        return std::nullopt;
      hit = s_.ids.find(uri);
    }
    std::string doc = uri, ptr;
    if (hit != s_.ids.end())
      std::tie(doc, ptr) = hit->second;
    if (!frag.empty() && frag[0] != '/') {
      auto anchor = s_.ids.find(uri + "#" + frag);
      if (anchor == s_.ids.end()) {
        *error = "$ref \"" + ref + "\" in " + where("") + ": no $id or $anchor \"" + frag +
                 "\" in " + uri;
        return std::nullopt;
      }
      std::tie(doc, ptr) = anchor->second;
    } else {
      ptr += frag;
    }
    const json &d = *s_.docs.at(doc);
    bool found = false;
    try {
      found = d.contains(json::json_pointer(ptr));
    } catch (const json::exception &) {
    }
    if (!found) {
      *error = "$ref \"" + ref + "\" in " + where("") + " leads nowhere: " + display_path(doc) +
               " has nothing at #" + ptr;
      return std::nullopt;
    }
    s_.reach(doc, ptr, error);
    return doc + "#" + pct_encode(ptr);
  }

  Store &s_;
  std::string doc_;
  SchemaDialect d_;
};

} // namespace

bool SchemaSet::Store::add(const std::string &uri, json doc, SchemaDialect dialect,
                           std::string *error, const std::vector<std::string> *schemas_at) {
  if (!schemas_at && doc.is_object())
    if (auto s = doc.find("$schema"); s != doc.end() && s->is_string()) {
      auto d = dialect_of(s->get<std::string>());
      if (!d) {
        *error = display_path(uri) + ": unsupported $schema " + s->dump() +
                 " (seam validates draft-07, \"http://json-schema.org/draft-07/schema#\", and "
                 "2020-12, \"https://json-schema.org/draft/2020-12/schema\")";
        return false;
      }
      dialect = *d;
    }
  auto &slot = docs[uri];
  slot = std::make_unique<json>(std::move(doc));
  dialects[uri] = dialect;
  ids.emplace(uri, std::make_pair(uri, std::string()));
  if (schemas_at) {
    partial.insert(uri);
    for (const auto &p : *schemas_at)
      if (!reach(uri, p, error))
        return false;
    return true;
  }
  Normaliser n(*this, uri, dialect);
  n.index(*slot, "", uri);
  walked[uri].push_back("");
  return n.rewrite(*slot, "", uri, error);
}

bool SchemaSet::Store::reach(const std::string &doc, const std::string &ptr, std::string *error) {
  auto &roots = walked[doc];
  for (const auto &r : roots)
    if (ptr == r || ptr.rfind(r + "/", 0) == 0)
      return true;
  roots.push_back(ptr);
  json *node = nullptr;
  try {
    node = &docs.at(doc)->at(json::json_pointer(ptr));
  } catch (const json::exception &) {
    *error = display_path(doc) + " has nothing at #" + ptr;
    return false;
  }
  Normaliser n(*this, doc, dialects.at(doc));
  n.index(*node, ptr, doc);
  return n.rewrite(*node, ptr, doc, error);
}

// valijson follows `$ref`, allOf, anyOf... on the same value without end
// when they lead back to where they started ({"$ref": "#"}): such a loop is
// refused before valijson sees it. Edges that step into a part of the value
// (properties, items) make progress, so recursive schemas (a tree) are fine.

SchemaSet::SchemaSet(DocumentFetch fetch) : store_(std::make_shared<Store>()) {
  store_->fetch = std::move(fetch);
}
SchemaSet::~SchemaSet() = default;

bool SchemaSet::add(const std::string &uri, json doc, SchemaDialect dialect, std::string *error,
                    const std::vector<std::string> *schemas_at) {
  return store_->add(uri, std::move(doc), dialect, error, schemas_at);
}

bool SchemaSet::contains(const std::string &uri) const { return store_->docs.count(uri) > 0; }

const json *SchemaSet::document(const std::string &uri) const {
  auto it = store_->docs.find(uri);
  return it == store_->docs.end() ? nullptr : it->second.get();
}

std::string schema_ref(const std::string &doc, const std::string &pointer) {
  return doc + "#" + pct_encode(pointer);
}

} // namespace seam
