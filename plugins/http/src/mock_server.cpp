// mock_server.cpp - see mock_server.hpp.
#include "mock_server.hpp"

#include "ascii.hpp"
#include "request_match.hpp"
#include "socket_faults.hpp"
#include "worker_pool.hpp"

#include <httplib.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <tuple>

namespace seam::http {

namespace {

// Each connection holds a worker thread while it lives (idle keep-alive waits
// included), so the pool grows with the connections clients keep open.
constexpr size_t kInitialWorkers = 4;
constexpr size_t kMaxWorkers = 1024;
constexpr int kListenBacklog = 1024;
// How long a `fail = "timeout"` request is held when the client never hangs up.
constexpr std::chrono::minutes kTimeoutFaultLimit{10};

// Repeated keys become arrays: ?tag=a&tag=b -> { tag = ["a", "b"] }.
json params_to_json(const httplib::Params &params) {
  json out = json::object();
  for (const auto &[key, value] : params) {
    auto it = out.find(key);
    if (it == out.end())
      out[key] = value;
    else if (it->is_array())
      it->push_back(value);
    else
      *it = json::array({*it, value});
  }
  return out;
}

size_t edit_distance(const std::string &a, const std::string &b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// Blocks SIGPIPE in the calling thread while alive. Threads started meanwhile
// inherit the mask: httplib writes with plain send(), and a client that hangs
// up early must not kill the whole run with SIGPIPE.
class sigpipe_blocked {
public:
  sigpipe_blocked() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~sigpipe_blocked() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }

private:
  sigset_t old_;
};

} // namespace

json request_document(const httplib::Request &req) {
  json doc = json::object();
  doc["method"] = req.method;
  doc["path"] = req.path;
  httplib::Params query;
  if (size_t q = req.target.find('?'); q != std::string::npos)
    httplib::detail::parse_query_text(req.target.substr(q + 1), query);
  doc["query"] = params_to_json(query);
  json headers = json::object();
  for (const auto &[name, value] : req.headers) {
    // httplib files the connection's endpoints among the headers.
    if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
        name == "LOCAL_PORT")
      continue;
    std::string key = lower(name);
    auto it = headers.find(key);
    if (it == headers.end())
      headers[key] = value;
    else
      *it = it->get<std::string>() + ", " + value;
  }
  doc["headers"] = std::move(headers);
  doc["body"] = req.body;
  if (!req.body.empty()) {
    json parsed = json::parse(req.body, nullptr, false);
    if (!parsed.is_discarded())
      doc["json"] = std::move(parsed);
  }
  std::string content_type = lower(req.get_header_value("Content-Type"));
  if (content_type.rfind("application/x-www-form-urlencoded", 0) == 0) {
    httplib::Params form;
    httplib::detail::parse_query_text(req.body, form);
    doc["form"] = params_to_json(form);
  }
  if (req.is_multipart_form_data()) {
    json form = json::object(), files = json::object();
    for (const auto &[name, part] : req.files) {
      if (part.filename.empty())
        form[name] = part.content;
      else
        files[name] = {{"filename", part.filename},
                       {"content_type", part.content_type},
                       {"content", part.content},
                       {"size", part.content.size()}};
    }
    doc["form"] = std::move(form);
    doc["files"] = std::move(files);
  }
  return doc;
}

mock_server::mock_server(std::string name, const json &config, match_fn matcher)
    : name_(std::move(name)) {
  std::string where = "resources." + name_;
  auto mock = config.find("mock");
  if (mock == config.end() || !mock->is_object())
    throw seam::error(where + ": an http resource needs a `mock` table, e.g. mock.routes = " +
                      "[{ method = \"GET\", path = \"/health\", status = 200 }]");
  for (const auto &[key, value] : config.items())
    if (key != "mock")
      throw seam::error(where + ": unknown field `" + key + "`; an http resource has `mock`");
  for (const auto &[key, value] : mock->items())
    if (key != "port" && key != "host" && key != "routes")
      throw seam::error(where + ".mock: unknown field `" + key +
                        "`; known fields: port, host, routes");
  routes_ = parse_routes(mock->value("routes", json::array()), where + ".mock.routes", matcher);
  route_calls_.assign(routes_.size(), 0);

  host_ = "127.0.0.1";
  if (auto h = mock->find("host"); h != mock->end()) {
    if (!h->is_string())
      throw seam::error(where + ".mock.host: must be an address such as \"127.0.0.1\"");
    host_ = h->get<std::string>();
  }
  int port = 0;
  if (auto p = mock->find("port"); p != mock->end()) {
    if (!p->is_number_integer() || *p < 0 || *p > 65535)
      throw seam::error(where + ".mock.port: " + p->dump() +
                        " is not a port; use 1-65535, or 0 for any free port");
    port = p->get<int>();
  }

  server_ = std::make_unique<httplib::Server>();
  auto &svr = *server_;
  svr.new_task_queue = [] { return new worker_pool(kInitialWorkers, kMaxWorkers); };
  // One client may send thousands of requests on one connection.
  svr.set_keep_alive_max_count(1000000);
  svr.set_keep_alive_timeout(30);
  // httplib writes a response's headers and body with separate send()s; with
  // Nagle's algorithm the body then waits for the client's delayed ACK, ~40 ms
  // per request on a kept-alive connection. Accepted sockets inherit
  // TCP_NODELAY from the listening socket on Linux.
  svr.set_tcp_nodelay(true);
  // httplib's default also sets SO_REUSEPORT, which would let a second mock
  // share a fixed port silently instead of failing to open.
  int listener = -1;
  svr.set_socket_options([&listener](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    listener = sock;
  });
  auto handler = [this](const httplib::Request &req, httplib::Response &res) { handle(req, res); };
  svr.Get(".*", handler);
  svr.Post(".*", handler);
  svr.Put(".*", handler);
  svr.Patch(".*", handler);
  svr.Delete(".*", handler);
  svr.Options(".*", handler);
  // httplib has handlers for those seven methods only and answers others
  // (TRACE) with 400 unrecorded; take them before its routing. (Bodies are
  // read only in that routing, so the seven keep their own handlers.)
  svr.set_pre_routing_handler([this](const httplib::Request &req, httplib::Response &res) {
    static const char *const routed[] = {"GET",   "HEAD",   "POST",   "PUT",
                                         "PATCH", "DELETE", "OPTIONS"};
    if (std::find(std::begin(routed), std::end(routed), req.method) != std::end(routed))
      return httplib::Server::HandlerResponse::Unhandled;
    handle(req, res);
    return httplib::Server::HandlerResponse::Handled;
  });
  svr.set_exception_handler(
      [](const httplib::Request &, httplib::Response &res, std::exception_ptr ep) {
        std::string what = "unknown error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception &e) {
          what = e.what();
        } catch (...) {
        }
        res.status = 500;
        res.set_content(json{{"error", "seam mock failed: " + what}}.dump(), "application/json");
      });

  if (port == 0) {
    port_ = svr.bind_to_any_port(host_);
    if (port_ <= 0)
      throw seam::error(where + ".mock: cannot listen on " + host_ +
                        " (any port); hint: is the address one of this machine's?");
  } else {
    if (!svr.bind_to_port(host_, port))
      throw seam::error(where + ".mock.port: cannot listen on " + host_ + ":" +
                        std::to_string(port) + " (in use?); hint: use mock.port = 0 for any " +
                        "free port and ${resources." + name_ + ".url} in steps");
    port_ = port;
  }
  // httplib listens with a backlog of 5: a client that opens a pool of
  // connections at once would wait a SYN retransmission (1 s and more) for
  // most of them. Listening again on the bound socket only raises it.
  if (listener >= 0)
    ::listen(listener, kListenBacklog);
  svr.set_socket_options([](socket_t) {});
  opened_ = std::chrono::steady_clock::now();
  {
    sigpipe_blocked guard;
    thread_ = std::thread([this] { server_->listen_after_bind(); });
  }
  for (int i = 0; i < 500 && !svr.is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

mock_server::~mock_server() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  server_->stop();
  // Workers idle in keep-alive waits would hold the join for their whole
  // keep-alive timeout: end their connections now.
  shutdown_connections(port_);
  if (thread_.joinable())
    thread_.join();
}

json mock_server::attributes() const {
  std::string authority = host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_;
  return {{"url", "http://" + authority + ":" + std::to_string(port_)},
          {"port", port_},
          {"host", host_}};
}

std::vector<json> mock_server::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

void mock_server::wait_for_calls(size_t count, const seam::deadline &deadline) const {
  std::unique_lock lock(mutex_);
  // In slices: a cancellation by the host wakes no condition variable.
  while (calls_.size() < count && !stopping_ && !deadline.done())
    changed_.wait_for(lock, deadline.bounded(std::chrono::milliseconds(50)));
}

size_t mock_server::reset() {
  std::lock_guard lock(mutex_);
  size_t n = calls_.size();
  calls_.clear();
  std::fill(route_calls_.begin(), route_calls_.end(), 0);
  return n;
}

bool mock_server::sleep_unless_stopping(std::chrono::microseconds d) {
  std::unique_lock lock(mutex_);
  return !changed_.wait_for(lock, d, [this] { return stopping_.load(); });
}

json mock_server::not_found_body(const json &request) const {
  const std::string method = request["method"], path = request["path"];
  json body = {
      {"error", "no mock route of resource '" + name_ + "' matches " + method + " " + path}};
  if (routes_.empty()) {
    body["hint"] = "the resource has no routes; add mock.routes to it";
    return body;
  }
  // Best candidate first: path and method agree (so `match` failed), then
  // the path agrees, then the method, then the nearest path by edit distance.
  int best = -1;
  std::tuple<int, int, long> best_score{-1, -1, 0};
  std::string reason;
  for (size_t i = 0; i < routes_.size(); ++i) {
    const route &r = routes_[i];
    auto params = match_path(r, path);
    bool method_ok = method_matches(r, method);
    std::tuple<int, int, long> score{params ? 1 : 0, method_ok ? 1 : 0,
                                     -static_cast<long>(edit_distance(r.path, path))};
    if (score > best_score) {
      best_score = score;
      best = static_cast<int>(i);
      if (params && method_ok) {
        json doc = request;
        doc["params"] = *params;
        reason = "method and path match, but `match` does not: " +
                 (r.match ? r.match->why_not(doc) : std::string("?"));
      } else if (params) {
        reason = "the path matches, but the route is for " + r.method + ", not " + method;
      } else if (method_ok) {
        reason = "the method matches, but the path differs from " + r.path;
      } else {
        reason = "neither method nor path match";
      }
    }
  }
  body["closest_route"] = routes_[best].label;
  body["reason"] = reason;
  json all = json::array();
  for (const auto &r : routes_)
    all.push_back(r.label);
  body["routes"] = std::move(all);
  return body;
}

void mock_server::handle(const httplib::Request &req, httplib::Response &res) {
  json doc = request_document(req);
  // Routes are immutable once open: match outside the lock, since the host's
  // matcher may take a while (regexes) and requests arrive in parallel.
  int chosen = -1;
  for (size_t i = 0; i < routes_.size() && chosen < 0; ++i) {
    const route &r = routes_[i];
    if (!method_matches(r, req.method))
      continue;
    auto params = match_path(r, req.path);
    if (!params)
      continue;
    doc["params"] = std::move(*params);
    if (!r.match || r.match->matches(doc))
      chosen = static_cast<int>(i);
  }
  response_spec spec;
  if (chosen < 0) {
    doc.erase("params");
    spec.status = 404;
    spec.json_body = not_found_body(doc);
    doc["route"] = nullptr;
    doc["params"] = json::object();
  }
  {
    std::lock_guard lock(mutex_);
    if (chosen >= 0) {
      spec = response_for(routes_[chosen], route_calls_[chosen]++);
      doc["route"] = routes_[chosen].label;
    }
    doc["at_ms"] =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - opened_)
            .count();
    if (spec.fail)
      doc["status"] = nullptr;
    else
      doc["status"] = spec.status;
    calls_.push_back(doc);
  }
  changed_.notify_all();

  if (spec.delay.count() > 0) {
    // A client that gave up (its timeout) ends the delay: the worker is not
    // held for a response nobody reads.
    int fd = find_connection_fd(req.local_port, req.remote_addr, req.remote_port);
    bool interrupted = fd >= 0 ? wait_for_hangup(
                                     fd, [this] { return stopping_.load(); }, spec.delay) !=
                                     hangup_wait::time_passed
                               : !sleep_unless_stopping(spec.delay);
    if (interrupted)
      spec.fail = fault::reset;
  }

  if (spec.fail) {
    int fd = find_connection_fd(req.local_port, req.remote_addr, req.remote_port);
    if (*spec.fail == fault::timeout) {
      wait_for_hangup(
          fd, [this] { return stopping_.load(); }, kTimeoutFaultLimit);
      if (fd >= 0)
        reset_connection(fd);
    } else if (fd >= 0) {
      if (*spec.fail == fault::reset)
        reset_connection(fd);
      else
        close_connection(fd);
    }
    if (fd < 0) {
      res.status = 500;
      res.set_content(json{{"error", "seam mock could not find the connection to break"}}.dump(),
                      "application/json");
    }
    return;
  }

  res.status = spec.status;
  std::string content_type;
  for (const auto &[name, value] : spec.headers.items()) {
    json rendered = render(value, doc);
    std::string text = rendered.is_string() ? rendered.get<std::string>() : rendered.dump();
    if (lower(name) == "content-type")
      content_type = text;
    else
      res.set_header(render_text(name, doc), text);
  }
  if (spec.status == 204 || spec.status == 304)
    return;
  if (spec.json_body) {
    res.set_content(render(*spec.json_body, doc).dump(),
                    content_type.empty() ? "application/json" : content_type);
  } else if (spec.body) {
    res.set_content(render_text(*spec.body, doc),
                    content_type.empty() ? "text/plain; charset=utf-8" : content_type);
  } else if (!content_type.empty()) {
    res.set_header("Content-Type", content_type);
  }
}

} // namespace seam::http
