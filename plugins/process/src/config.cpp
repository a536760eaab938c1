// config.cpp - see config.hpp.
#include "config.hpp"

#include <re2/re2.h>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <netinet/in.h>
#include <set>
#include <sys/socket.h>
#include <unistd.h>

namespace seam_process {

using seam::json;

std::string format_duration(std::chrono::milliseconds d) {
  auto ms = d.count();
  if (ms % 1000 == 0)
    return std::to_string(ms / 1000) + "s";
  if (ms < 1000)
    return std::to_string(ms) + "ms";
  std::string s = std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 + 1000).substr(1);
  while (s.back() == '0')
    s.pop_back();
  return s + "s";
}

std::chrono::milliseconds duration_input(const json &value, const std::string &what) {
  auto d = value.is_string() ? seam::parse_duration(value.get<std::string>()) : std::nullopt;
  if (!d)
    throw seam::error(what + " must be a duration such as \"500ms\" or \"5s\", not " +
                      value.dump());
  return std::chrono::duration_cast<std::chrono::milliseconds>(*d);
}

std::string substitute_ports(const std::string &text, const port_list &ports,
                             const std::string &where) {
  static const std::string open = "${port.";
  std::string out;
  size_t pos = 0;
  for (;;) {
    size_t at = text.find(open, pos);
    if (at == std::string::npos)
      break;
    size_t end = text.find('}', at);
    if (end == std::string::npos)
      break;
    std::string name = text.substr(at + open.size(), end - at - open.size());
    const std::pair<std::string, int> *found = nullptr;
    for (const auto &p : ports)
      if (p.first == name)
        found = &p;
    if (found == nullptr) {
      std::string declared;
      for (const auto &p : ports)
        declared += (declared.empty() ? "" : ", ") + ("\"" + p.first + "\"");
      throw seam::error(where + " uses ${port." + name + "}, but `ports` declares " +
                        (declared.empty() ? "none" : "only " + declared) + "; hint: add \"" + name +
                        "\" to ports = [...]");
    }
    out += text.substr(pos, at - pos) + std::to_string(found->second);
    pos = end + 1;
  }
  return out + text.substr(pos);
}

int allocate_port() {
  static std::mutex mu;
  static std::set<int> given;
  std::lock_guard lock(mu);
  for (int attempt = 0; attempt < 100; ++attempt) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
      throw seam::error(std::string("cannot allocate a port: ") + std::strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int port = -1;
    if (bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) == 0)
      port = ntohs(addr.sin_port);
    int err = errno;
    close(fd);
    if (port < 0)
      throw seam::error(std::string("cannot allocate a port on 127.0.0.1: ") + std::strerror(err));
    if (given.insert(port).second)
      return port;
  }
  throw seam::error("cannot allocate a port on 127.0.0.1: every port offered was given already");
}

command_spec parse_command(const json &table, const port_list &ports) {
  command_spec spec;
  const json &cmd = table.at("command");
  if (cmd.is_string()) {
    // A string is a shell command line, as in a Makefile or a Procfile.
    spec.argv = {"/bin/sh", "-c", substitute_ports(cmd.get<std::string>(), ports, "command")};
  } else {
    // A number is an argument too: "${resources.db.port.pg}" keeps its type.
    for (size_t i = 0; i < cmd.size(); ++i) {
      const json &arg = cmd[i];
      if (!arg.is_string() && !arg.is_number() && !arg.is_boolean())
        throw seam::error("command[" + std::to_string(i) + "] must be a string or a number");
      spec.argv.push_back(substitute_ports(arg.is_string() ? arg.get<std::string>() : arg.dump(),
                                           ports, "command[" + std::to_string(i) + "]"));
    }
  }
  if (spec.argv.empty() || spec.argv[0].empty())
    throw seam::error("`command` is empty; hint: command = [\"python3\", \"app.py\"] or a "
                      "shell line such as command = \"./app --port 8080\"");
  if (!table.value("clear_env", false))
    spec.env = current_environment();
  if (auto env = table.find("env"); env != table.end()) {
    for (const auto &[name, value] : env->items()) {
      std::string text = value.is_string() ? value.get<std::string>() : value.dump();
      set_env(spec.env, name, substitute_ports(text, ports, "env." + name));
    }
  }
  if (auto cwd = table.find("cwd"); cwd != table.end())
    spec.cwd = substitute_ports(cwd->get<std::string>(), ports, "cwd");
  return spec;
}

namespace {

int port_value(const json &v, const std::string &where, const port_list &ports) {
  std::string text =
      v.is_string() ? substitute_ports(v.get<std::string>(), ports, where) : v.dump();
  int port = 0;
  try {
    size_t used = 0;
    port = std::stoi(text, &used);
    if (used != text.size())
      port = 0;
  } catch (const std::exception &) {
  }
  if (port <= 0 || port > 65535)
    throw seam::error(where + " must be a port number (or \"$${port.NAME}\"), not " + v.dump());
  return port;
}

ready_check parse_check(const json &c, const std::string &where, const port_list &ports,
                        const command_spec &service_spec) {
  ready_check r;
  if (auto t = c.find("timeout"); t != c.end())
    r.timeout = duration_input(*t, where + ".timeout");
  if (auto v = c.find("tcp"); v != c.end()) {
    r.kind = ready_check::tcp;
    r.host = c.value("host", "127.0.0.1");
    r.port = port_value(*v, where + ".tcp", ports);
    r.text = "tcp " + r.host + ":" + std::to_string(r.port);
  } else if (auto h = c.find("http"); h != c.end()) {
    r.kind = ready_check::http;
    r.url = substitute_ports(h->get<std::string>(), ports, where + ".http");
    r.status = c.value("status", 0);
    r.text = "http " + r.url +
             (r.status ? " (status " + std::to_string(r.status) + ")" : " (a 2xx status)");
  } else if (auto l = c.find("log"); l != c.end()) {
    r.kind = ready_check::log;
    std::string pattern = substitute_ports(l->get<std::string>(), ports, where + ".log");
    r.regex = std::make_shared<re2::RE2>(pattern, re2::RE2::Quiet);
    if (!r.regex->ok())
      throw seam::error(where + ".log: bad regular expression '" + pattern +
                        "': " + r.regex->error());
    r.text = "log matching '" + pattern + "'";
  } else if (auto e = c.find("exec"); e != c.end()) {
    r.kind = ready_check::exec;
    json table = {{"command", *e}};
    r.command = parse_command(table, ports);
    r.command.env = service_spec.env; // the service's environment, ports included
    r.command.cwd = service_spec.cwd;
    r.text = "exec " + (e->is_string() ? e->get<std::string>() : e->dump());
  } else {
    throw seam::error(where + " names no check; hint: one of { tcp = PORT }, { http = URL }, "
                              "{ log = REGEX }, { exec = [...] }");
  }
  return r;
}

} // namespace

resource_config parse_resource(const json &config) {
  resource_config rc;
  if (!config.contains("command"))
    throw seam::error("`command` is missing; hint: command = [\"python3\", \"app.py\"]");
  for (const auto &p : config.value("ports", json::array())) {
    std::string name = p.get<std::string>();
    for (const auto &q : rc.ports)
      if (q.first == name)
        throw seam::error("port \"" + name + "\" is declared twice in `ports`");
    rc.ports.emplace_back(name, allocate_port());
  }
  rc.spec = parse_command(config, rc.ports);
  if (auto g = config.find("grace"); g != config.end())
    rc.grace = duration_input(*g, "grace");
  rc.spec.grace_ms = static_cast<int>(rc.grace.count());
  if (auto s = config.find("log_size"); s != config.end())
    rc.log_size = s->get<size_t>();
  if (auto r = config.find("ready"); r != config.end()) {
    if (r->is_array()) {
      for (size_t i = 0; i < r->size(); ++i)
        rc.ready.push_back(
            parse_check((*r)[i], "ready[" + std::to_string(i) + "]", rc.ports, rc.spec));
    } else {
      rc.ready.push_back(parse_check(*r, "ready", rc.ports, rc.spec));
    }
  }
  return rc;
}

} // namespace seam_process
