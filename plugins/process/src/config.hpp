// config.hpp - a `process` resource's table and process.exec's input, read
// into what spawn and the readiness checks need. ${port.NAME} inside the
// resource's own command, env, cwd and ready is replaced here: the resource's
// ports are only known once it opens.
#pragma once

#include "spawn.hpp"

#include <seam/plugin.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace re2 {
class RE2;
}

namespace seam_process {

using port_list = std::vector<std::pair<std::string, int>>; // in declaration order

struct ready_check {
  enum kind_t { tcp, http, log, exec } kind = tcp;
  std::string host = "127.0.0.1";  // tcp
  int port = 0;                    // tcp
  std::string url;                 // http
  int status = 0;                  // http; 0: any 2xx
  std::shared_ptr<re2::RE2> regex; // log
  command_spec command;            // exec
  std::chrono::milliseconds timeout{30000};
  std::string text; // how messages name it: "tcp 127.0.0.1:5432"
};

struct resource_config {
  command_spec spec;
  port_list ports;
  std::vector<ready_check> ready;
  size_t log_size = 1 << 20;
  std::chrono::milliseconds grace{5000};
};

// Replaces every ${port.NAME} of text; `where` names the field for errors.
std::string substitute_ports(const std::string &text, const port_list &ports,
                             const std::string &where);

// A free TCP port on 127.0.0.1, never one this process handed out before.
int allocate_port();

// The `command`/`cwd`/`env`/`clear_env` part of a table (a resource's or
// process.exec's input), with ${port.NAME} replaced from `ports`.
command_spec parse_command(const seam::json &table, const port_list &ports);

// A resource's whole table; allocates its ports.
resource_config parse_resource(const seam::json &config);

// "30s", "250ms", "1.5s".
std::string format_duration(std::chrono::milliseconds d);

// A duration input (a string such as "2s"); `what` names it in the error.
std::chrono::milliseconds duration_input(const seam::json &value, const std::string &what);

} // namespace seam_process
