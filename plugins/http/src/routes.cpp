// routes.cpp - see routes.hpp.
#include "routes.hpp"

#include "request_match.hpp"

#include <algorithm>

namespace seam::http {

namespace {

// The methods cpp-httplib's request parser accepts (CONNECT and PRI aside).
const char *const kMethods[] = {"GET",   "HEAD",   "POST",    "PUT",
                                "PATCH", "DELETE", "OPTIONS", "TRACE"};

std::string regex_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos)
      out += '\\';
    out += c;
  }
  return out;
}

bool valid_param_name(std::string_view name) {
  if (name.empty())
    return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  return true;
}

// "/v1/charges/{id}" -> ^/v1/charges/([^/]+)$ ; "{rest*}" takes the rest, '/' included.
void compile_path(route &r, const std::string &where) {
  if (r.path.empty() || r.path[0] != '/')
    throw seam::error(where + ".path: \"" + r.path + "\" must start with '/'");
  std::string re = "^";
  size_t i = 0;
  while (i < r.path.size()) {
    size_t open = r.path.find('{', i);
    if (open == std::string::npos) {
      re += regex_escape(std::string_view(r.path).substr(i));
      break;
    }
    re += regex_escape(std::string_view(r.path).substr(i, open - i));
    size_t close = r.path.find('}', open);
    if (close == std::string::npos)
      throw seam::error(where + ".path: \"" + r.path + "\" has a '{' without '}'");
    std::string name = r.path.substr(open + 1, close - open - 1);
    bool rest = !name.empty() && name.back() == '*';
    if (rest)
      name.pop_back();
    if (!valid_param_name(name))
      throw seam::error(where + ".path: \"{" + name + "}\" is not a valid capture name; use " +
                        "letters, digits and '_', e.g. {id}");
    if (std::find(r.params.begin(), r.params.end(), name) != r.params.end())
      throw seam::error(where + ".path: capture {" + name + "} appears twice");
    r.params.push_back(name);
    re += rest ? "(.*)" : "([^/]+)";
    i = close + 1;
  }
  re += "$";
  r.path_re = std::regex(re);
}

std::optional<fault> parse_fault(const json &v, const std::string &where) {
  if (!v.is_string())
    throw seam::error(where + ".fail: must be \"reset\", \"close\" or \"timeout\"");
  std::string s = v.get<std::string>();
  if (s == "reset")
    return fault::reset;
  if (s == "close")
    return fault::close;
  if (s == "timeout")
    return fault::timeout;
  throw seam::error(where + ".fail: unknown fault \"" + s +
                    "\"; use \"reset\" (connection reset), \"close\" (empty reply) or "
                    "\"timeout\" (no answer)");
}

// Applies the response fields present in `t` over `spec`.
void apply_response_fields(response_spec &spec, const json &t, const std::string &where) {
  if (t.contains("json") && t.contains("body"))
    throw seam::error(where + ": has both `json` and `body`; a response has one body");
  if (auto it = t.find("status"); it != t.end()) {
    if (!it->is_number_integer() || *it < 100 || *it > 599)
      throw seam::error(where + ".status: " + it->dump() + " is not an HTTP status (100-599)");
    spec.status = it->get<int>();
  }
  if (auto it = t.find("headers"); it != t.end()) {
    if (!it->is_object())
      throw seam::error(where + ".headers: must be a table of name = value");
    for (const auto &[name, value] : it->items()) {
      if (value.is_object() || value.is_array() || value.is_null())
        throw seam::error(where + ".headers." + name + ": must be a string, number or boolean");
      spec.headers[name] = value;
    }
  }
  if (auto it = t.find("json"); it != t.end()) {
    spec.json_body = *it;
    spec.body.reset();
  }
  if (auto it = t.find("body"); it != t.end()) {
    if (!it->is_string())
      throw seam::error(where + ".body: must be text; use `json` for structured data");
    spec.body = it->get<std::string>();
    spec.json_body.reset();
  }
  if (auto it = t.find("delay"); it != t.end()) {
    auto d = it->is_string() ? seam::parse_duration(it->get<std::string>()) : std::nullopt;
    if (!d)
      throw seam::error(where + ".delay: " + it->dump() +
                        " is not a duration; write e.g. \"50ms\" or \"2s\"");
    spec.delay = *d;
  }
  if (auto it = t.find("fail"); it != t.end())
    spec.fail = parse_fault(*it, where);
}

void check_keys(const json &t, std::initializer_list<std::string_view> allowed,
                const std::string &where) {
  for (const auto &[key, value] : t.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string list;
      for (auto a : allowed)
        list += (list.empty() ? "" : ", ") + std::string(a);
      throw seam::error(where + ": unknown field `" + key + "`; known fields: " + list);
    }
  }
}

std::string value_text(const json &v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// Resolves one placeholder name against the request; nullptr when unknown.
const json *lookup(std::string_view name, const json &request) {
  if (auto p = request.find("params"); p != request.end() && p->is_object()) {
    auto it = p->find(std::string(name));
    if (it != p->end())
      return &*it;
  }
  if (name == "method" || name == "path" || name == "body")
    return request.contains(std::string(name)) ? &request[std::string(name)] : nullptr;
  for (std::string_view root : {"query.", "headers.", "json.", "form.", "params."})
    if (name.substr(0, root.size()) == root)
      return seam::json_path::lookup(request, name);
  return nullptr;
}

bool placeholder_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' ||
         c == '[' || c == ']';
}

} // namespace

std::vector<route> parse_routes(const json &routes, const std::string &where,
                                const match_fn &matcher) {
  std::vector<route> out;
  if (routes.is_null())
    return out;
  if (!routes.is_array())
    throw seam::error(where + ": must be an array of route tables");
  for (size_t i = 0; i < routes.size(); ++i) {
    const json &t = routes[i];
    std::string at = where + "[" + std::to_string(i) + "]";
    if (!t.is_object())
      throw seam::error(at + ": must be a table like { method = \"GET\", path = \"/x\" }");
    check_keys(t,
               {"name", "method", "path", "match", "status", "headers", "json", "body", "delay",
                "fail", "fail_times", "responses"},
               at);
    route r;
    if (!t.contains("path") || !t["path"].is_string())
      throw seam::error(at + ": needs a `path` such as \"/v1/users/{id}\"");
    r.path = t["path"].get<std::string>();
    compile_path(r, at);
    if (auto it = t.find("method"); it != t.end()) {
      if (!it->is_string())
        throw seam::error(at + ".method: must be a string such as \"POST\"");
      r.method = it->get<std::string>();
      if (r.method == "*")
        r.method.clear();
      else if (std::find(std::begin(kMethods), std::end(kMethods), r.method) == std::end(kMethods))
        throw seam::error(at + ".method: unknown method \"" + r.method +
                          "\"; use GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE or \"*\"");
    }
    if (auto it = t.find("match"); it != t.end())
      r.match.emplace(*it, matcher, at + ".match");
    apply_response_fields(r.base, t, at);
    if (auto it = t.find("fail_times"); it != t.end()) {
      if (!it->is_number_integer() || *it < 0)
        throw seam::error(at + ".fail_times: must be a whole number >= 0");
      r.fail_times = it->get<size_t>();
    }
    if (auto it = t.find("responses"); it != t.end()) {
      if (!it->is_array() || it->empty())
        throw seam::error(at + ".responses: must be a non-empty array of response tables");
      if (r.fail_times > 0)
        throw seam::error(at + ": has both `responses` and `fail_times`; list the failures " +
                          "in `responses` instead");
      for (size_t k = 0; k < it->size(); ++k) {
        const json &rt = (*it)[k];
        std::string rat = at + ".responses[" + std::to_string(k) + "]";
        if (!rt.is_object())
          throw seam::error(rat + ": must be a table like { status = 503 }");
        check_keys(rt, {"status", "headers", "json", "body", "delay", "fail"}, rat);
        response_spec spec = r.base;
        apply_response_fields(spec, rt, rat);
        r.responses.push_back(std::move(spec));
      }
    }
    if (auto it = t.find("name"); it != t.end() && it->is_string())
      r.label = it->get<std::string>();
    else
      r.label = (r.method.empty() ? std::string("*") : r.method) + " " + r.path;
    out.push_back(std::move(r));
  }
  return out;
}

std::optional<json> match_path(const route &r, std::string_view path) {
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(path.begin(), path.end(), m, r.path_re))
    return std::nullopt;
  json params = json::object();
  for (size_t i = 0; i < r.params.size(); ++i)
    params[r.params[i]] = m[i + 1].str();
  return params;
}

bool method_matches(const route &r, std::string_view method) {
  return r.method.empty() || r.method == method || (method == "HEAD" && r.method == "GET");
}

response_spec response_for(const route &r, size_t call) {
  if (!r.responses.empty())
    return r.responses[std::min(call, r.responses.size() - 1)];
  response_spec spec = r.base;
  if (r.fail_times > 0) {
    if (call >= r.fail_times) {
      spec.fail.reset();
    } else if (!spec.fail) {
      spec.status = 503;
      spec.body.reset();
      spec.json_body =
          json{{"error", "injected failure"}, {"call", call + 1}, {"fail_times", r.fail_times}};
    }
  }
  return spec;
}

std::string render_text(std::string_view tmpl, const json &request) {
  std::string out;
  size_t i = 0;
  while (i < tmpl.size()) {
    size_t open = tmpl.find('{', i);
    if (open == std::string_view::npos) {
      out.append(tmpl.substr(i));
      break;
    }
    out.append(tmpl.substr(i, open - i));
    size_t end = open + 1;
    while (end < tmpl.size() && placeholder_char(tmpl[end]))
      ++end;
    const json *v = nullptr;
    if (end < tmpl.size() && tmpl[end] == '}' && end > open + 1)
      v = lookup(tmpl.substr(open + 1, end - open - 1), request);
    if (v != nullptr) {
      out += value_text(*v);
      i = end + 1;
    } else {
      out += '{';
      i = open + 1;
    }
  }
  return out;
}

json render(const json &tmpl, const json &request) {
  if (tmpl.is_string()) {
    const std::string &s = tmpl.get_ref<const std::string &>();
    if (s.size() > 2 && s.front() == '{' && s.back() == '}' &&
        std::all_of(s.begin() + 1, s.end() - 1, placeholder_char)) {
      if (const json *v = lookup(std::string_view(s).substr(1, s.size() - 2), request))
        return *v;
    }
    return render_text(s, request);
  }
  if (tmpl.is_object()) {
    json out = json::object();
    for (const auto &[key, value] : tmpl.items())
      out[render_text(key, request)] = render(value, request);
    return out;
  }
  if (tmpl.is_array()) {
    json out = json::array();
    for (const auto &value : tmpl)
      out.push_back(render(value, request));
    return out;
  }
  return tmpl;
}

} // namespace seam::http
