// Where the documents of a schema come from: URIs resolved as RFC 3986 says,
// files (JSON, or YAML by their name), and the `$schema` URIs seam knows.
#include "schema_store.hpp"
#include "seam/core/expect/json_schema.hpp"
#include "seam/core/expect/yaml_json.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace seam {

namespace {

bool is_unreserved(unsigned char c) {
  return std::isalnum(c) || std::string_view("-._~!$&'()*+,;=:@/").find(static_cast<char>(c)) !=
                                std::string_view::npos;
}

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

namespace schema_detail {

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

} // namespace schema_detail

using namespace schema_detail;

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
} // namespace seam
