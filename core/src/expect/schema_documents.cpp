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
#include "seam/core/expect/yaml_json.hpp"

#include "seam/core/base/regex.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

namespace seam {

namespace {

bool is_unreserved(unsigned char c) {
  return std::isalnum(c) || std::string_view("-._~!$&'()*+,;=:@/").find(static_cast<char>(c)) !=
                                std::string_view::npos;
}

std::string pct_encode(std::string_view s) {
  static const char *hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (is_unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string pct_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    auto hexval = [](char c) {
      return c >= '0' && c <= '9'   ? c - '0'
             : c >= 'a' && c <= 'f' ? c - 'a' + 10
             : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                    : -1;
    };
    if (s[i] == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
      out += static_cast<char>(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string escape_token(const std::string &key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::pair<std::string, std::string> split_fragment(const std::string &uri) {
  auto hash = uri.find('#');
  if (hash == std::string::npos)
    return {uri, ""};
  return {uri.substr(0, hash), uri.substr(hash + 1)};
}

// Where a URI's parts start: scheme, authority, path.
struct UriParts {
  std::string scheme, authority, path, query;
  bool has_authority = false;
};

std::optional<std::string> scheme_of(const std::string &s) {
  size_t i = 0;
  while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '+' ||
                          s[i] == '-' || s[i] == '.'))
    ++i;
  if (i > 0 && i < s.size() && s[i] == ':' && std::isalpha(static_cast<unsigned char>(s[0])))
    return s.substr(0, i);
  return std::nullopt;
}

UriParts split_uri(const std::string &uri) {
  UriParts p;
  std::string rest = uri;
  if (auto s = scheme_of(uri)) {
    p.scheme = *s;
    rest = uri.substr(s->size() + 1);
  }
  if (rest.rfind("//", 0) == 0) {
    p.has_authority = true;
    auto end = rest.find_first_of("/?", 2);
    p.authority = rest.substr(2, end == std::string::npos ? std::string::npos : end - 2);
    rest = end == std::string::npos ? "" : rest.substr(end);
  }
  auto q = rest.find('?');
  p.path = rest.substr(0, q);
  if (q != std::string::npos)
    p.query = rest.substr(q);
  return p;
}

std::string remove_dot_segments(const std::string &path) {
  std::vector<std::string> out;
  size_t i = 0;
  bool absolute = !path.empty() && path[0] == '/';
  std::string seg;
  std::vector<std::string> parts;
  std::stringstream ss(path);
  while (std::getline(ss, seg, '/'))
    parts.push_back(seg);
  if (!path.empty() && path.back() == '/')
    parts.push_back("");
  for (; i < parts.size(); ++i) {
    const std::string &s = parts[i];
    if (s == ".") {
      if (i + 1 == parts.size())
        out.push_back("");
    } else if (s == "..") {
      if (out.size() > (absolute ? 1u : 0u))
        out.pop_back();
      if (i + 1 == parts.size())
        out.push_back("");
    } else {
      out.push_back(s);
    }
  }
  std::string r;
  for (size_t k = 0; k < out.size(); ++k)
    r += (k ? "/" : "") + out[k];
  return r;
}

} // namespace

std::string resolve_uri(const std::string &base, const std::string &ref) {
  if (scheme_of(ref))
    return ref;
  auto [base_doc, base_frag] = split_fragment(base);
  if (ref.empty())
    return base_doc;
  if (ref[0] == '#')
    return base_doc + ref;
  UriParts b = split_uri(base_doc);
  std::string prefix = b.scheme.empty() ? "" : b.scheme + ":";
  if (ref.rfind("//", 0) == 0)
    return prefix + ref;
  std::string auth = b.has_authority ? "//" + b.authority : "";
  auto [ref_doc, ref_frag] = split_fragment(ref);
  std::string frag = ref.find('#') == std::string::npos ? "" : "#" + ref_frag;
  if (ref[0] == '/')
    return prefix + auth + remove_dot_segments(ref_doc) + frag;
  if (ref[0] == '?')
    return prefix + auth + b.path + ref;
  std::string dir;
  if (b.has_authority && b.path.empty())
    dir = "/";
  else
    dir = b.path.substr(0, b.path.rfind('/') + 1);
  return prefix + auth + remove_dot_segments(dir + ref_doc) + frag;
}

std::string file_uri(const std::string &path) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(path, ec).lexically_normal();
  return "file://" + pct_encode(abs.string());
}

std::optional<std::string> file_path_of(const std::string &uri) {
  if (uri.rfind("file://", 0) != 0)
    return std::nullopt;
  return pct_decode(split_fragment(uri.substr(7)).first);
}

std::string display_path(const std::string &uri) {
  auto path = file_path_of(uri);
  if (!path)
    return uri;
  if (std::filesystem::path(*path).filename() == kInlineName)
    return "the inline schema";
  // As the user would name it: relative to where seam runs, when below it.
  std::error_code ec;
  auto rel = std::filesystem::path(*path).lexically_relative(std::filesystem::current_path(ec));
  if (!ec && !rel.empty() && rel.begin()->string() != "..")
    return rel.string();
  return *path;
}

std::optional<json> fetch_file(const std::string &uri, std::string *error) {
  auto path = file_path_of(uri);
  if (!path) {
    *error = "seam reads schemas from files only, not from '" + uri +
             "' (save the document beside the suite and refer to it by a relative path)";
    return std::nullopt;
  }
  std::ifstream in(*path, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(*path, ec)) {
    *error = "cannot read " + display_path(uri) + ": " +
             (std::filesystem::exists(*path, ec) ? "not a readable file" : "no such file");
    return std::nullopt;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto ext = std::filesystem::path(*path).extension().string();
  if (ext == ".yaml" || ext == ".yml") {
    std::string why;
    auto doc = parse_yaml(text, &why);
    if (!doc)
      *error = display_path(uri) + " is not YAML: " + why;
    return doc;
  }
  try {
    return json::parse(text);
  } catch (const json::parse_error &e) {
    // The byte offset as line and column, where an editor shows it.
    size_t line = 1, col = 1;
    for (size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string what = e.what();
    auto colon = what.rfind(": ");
    *error = display_path(uri) + ":" + std::to_string(line) + ":" + std::to_string(col) +
             ": not JSON: " + (colon == std::string::npos ? what : what.substr(colon + 2));
    return std::nullopt;
  }
}

std::optional<SchemaDialect> dialect_of(const std::string &uri) {
  std::string u = split_fragment(uri).first;
  if (u.rfind("https://", 0) == 0)
    u = "http://" + u.substr(8);
  if (u == "http://json-schema.org/draft-07/schema")
    return SchemaDialect::Draft7;
  if (u == "http://json-schema.org/draft/2020-12/schema")
    return SchemaDialect::Draft2020_12;
  return std::nullopt;
}

namespace {

using Store = SchemaSet::Store;

// Pointer segments (about two per level of nesting), or `$ref`s in a chain.
constexpr size_t kMaxSchemaDepth = 512;

// Calls f(child, pointer) for every subschema of the schema object n.
template <class J, class F> void for_each_subschema(J &n, const std::string &ptr, F &&f) {
  static const char *single[] = {"additionalItems",
                                 "additionalProperties",
                                 "contains",
                                 "propertyNames",
                                 "not",
                                 "if",
                                 "then",
                                 "else",
                                 "unevaluatedItems",
                                 "unevaluatedProperties"};
  static const char *lists[] = {"allOf", "anyOf", "oneOf", "prefixItems"};
  static const char *maps[] = {"properties", "patternProperties", "definitions",
                               "$defs",      "dependentSchemas",  "dependencies"};
  auto schema_like = [](const json &v) { return v.is_object() || v.is_boolean(); };
  for (const char *k : single) {
    auto it = n.find(k);
    if (it != n.end() && schema_like(*it))
      f(*it, ptr + "/" + k);
  }
  if (auto it = n.find("items"); it != n.end()) {
    if (schema_like(*it))
      f(*it, ptr + "/items");
    else if (it->is_array())
      for (size_t i = 0; i < it->size(); ++i)
        f((*it)[i], ptr + "/items/" + std::to_string(i));
  }
  for (const char *k : lists) {
    auto it = n.find(k);
    if (it != n.end() && it->is_array())
      for (size_t i = 0; i < it->size(); ++i)
        f((*it)[i], ptr + "/" + k + "/" + std::to_string(i));
  }
  for (const char *k : maps) {
    auto it = n.find(k);
    if (it != n.end() && it->is_object())
      for (auto m = it->begin(); m != it->end(); ++m)
        if (schema_like(m.value()))
          f(m.value(), ptr + "/" + k + "/" + escape_token(m.key()));
  }
}

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
bool SchemaSet::Store::check_loops(const std::string &doc, const std::string &ptr,
                                   std::string *error) const {
  enum class Mark { Open, Done };
  std::map<std::string, Mark> marks; // "doc#ptr" -> state of the same-value walk
  std::set<std::string> seen;        // nodes whose parts were queued
  std::vector<std::pair<std::string, std::string>> todo{{doc, ptr}};
  auto node_at = [&](const std::string &d, const std::string &p) -> const json * {
    auto it = docs.find(d);
    if (it == docs.end())
      return nullptr;
    try {
      return &it->second->at(json::json_pointer(p));
    } catch (const json::exception &) {
      return nullptr;
    }
  };
  std::vector<std::string> stack;
  // Depth-first along the edges that stay on the same value.
  std::function<bool(const std::string &, const std::string &)> walk = [&](const std::string &d,
                                                                           const std::string &p) {
    std::string key = d + "#" + p;
    auto m = marks.find(key);
    if (m != marks.end()) {
      if (m->second == Mark::Done)
        return true;
      std::string loop;
      for (auto &k : stack)
        loop += display_path(k.substr(0, k.find('#'))) + k.substr(k.find('#')) + " -> ";
      *error =
          "the schema loops without looking into the value: " + loop + display_path(d) + "#" + p;
      return false;
    }
    const json *n = node_at(d, p);
    if (!n || !n->is_object()) {
      marks[key] = Mark::Done;
      return true;
    }
    if (stack.size() > kMaxSchemaDepth) {
      *error = "the schema's $ref chain at " + display_path(d) + "#" + p + " is too long";
      return false;
    }
    marks[key] = Mark::Open;
    stack.push_back(key);
    std::vector<std::pair<std::string, std::string>> same;
    if (auto r = n->find("$ref"); r != n->end() && r->is_string()) {
      auto [rd, rp] = split_fragment(r->get<std::string>());
      same.emplace_back(rd, pct_decode(rp));
    }
    for (const char *k : {"allOf", "anyOf", "oneOf"})
      if (auto a = n->find(k); a != n->end() && a->is_array())
        for (size_t i = 0; i < a->size(); ++i)
          same.emplace_back(d, p + "/" + k + "/" + std::to_string(i));
    for (const char *k : {"not", "if", "then", "else"})
      if (n->contains(k))
        same.emplace_back(d, p + "/" + k);
    if (auto deps = n->find("dependencies"); deps != n->end() && deps->is_object())
      for (auto it = deps->begin(); it != deps->end(); ++it)
        if (it->is_object())
          same.emplace_back(d, p + "/dependencies/" + escape_token(it.key()));
    for (auto &[sd, sp] : same)
      if (!walk(sd, sp))
        return false;
    stack.pop_back();
    marks[key] = Mark::Done;
    if (seen.insert(key).second) // the parts of the value: walked afresh
      for_each_subschema(*n, p,
                         [&](const json &, const std::string &cp) { todo.emplace_back(d, cp); });
    return true;
  };
  while (!todo.empty()) {
    auto [d, p] = todo.back();
    todo.pop_back();
    if (!walk(d, p))
      return false;
  }
  return true;
}

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
