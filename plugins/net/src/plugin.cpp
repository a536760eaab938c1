// plugin.cpp - the net plugin's descriptor: `net` proxy resources and the
// steps that fault, heal and count them.
#include "address.hpp"
#include "faults.hpp"
#include "proxy.hpp"

#include <seam/plugin.hpp>

#include <algorithm>
#include <memory>
#include <mutex>
#include <vector>

namespace {

using seam::json;
using namespace seam_net;

// One [resources.NAME] table: the proxy and the fault requests standing.
struct net_resource {
  std::string name;
  std::unique_ptr<proxy> px;
  std::mutex lock; // steps of several tests may change faults at once
  std::vector<fault_request> requests;

  fault_state update() {
    fault_state state = combine(requests);
    px->set_faults(state);
    return state;
  }
};

const char *resource_schema = R"json({
  "type": "object",
  "properties": {
    "listen": {
      "type": "string",
      "default": "127.0.0.1:0",
      "description": "HOST:PORT the proxy listens on (port 0: a free one)"
    },
    "upstream": {
      "type": "string",
      "minLength": 1,
      "description": "HOST:PORT of the dependency, e.g. \"127.0.0.1:${resources.db.port}\""
    }
  },
  "required": [
    "upstream"
  ],
  "additionalProperties": false
})json";

const char *fault_output = R"json({
  "type": "object",
  "properties": {
    "faults": {
      "type": "object",
      "description": "the faults now in force: down (true/false), direction.up.*, direction.down.*"
    }
  }
})json";

const char *stats_output = R"json({
  "type": "object",
  "properties": {
    "connections": {
      "type": "object",
      "description": "total (accepted) and open"
    },
    "bytes": {
      "type": "object",
      "description": "up (to the dependency) and down, forwarded"
    },
    "upstream_errors": {
      "type": "integer",
      "description": "connections the dependency refused"
    },
    "resets": {
      "type": "integer",
      "description": "connections reset by reset_peer"
    }
  }
})json";

std::string text_of(const json &config, const char *key, const char *fallback) {
  auto it = config.find(key);
  if (it == config.end())
    return fallback;
  if (!it->is_string())
    throw seam::error(std::string("net: `") + key + "` must be a string such as \"127.0.0.1:0\"");
  return it->get<std::string>();
}

} // namespace

SEAM_PLUGIN(plugin) {
  plugin.info("net", "0.1.0",
              "A TCP fault proxy: latency, bandwidth, resets, black holes, outages");

  plugin.resource<net_resource>(
      "A TCP proxy to point a service at instead of its dependency", resource_schema,
      [](const std::string &name, const json &config, seam::context &ctx) {
        auto listen = parse_address(text_of(config, "listen", "127.0.0.1:0"), "net: `listen`");
        if (!config.contains("upstream"))
          throw seam::error("net: resource " + name +
                            " needs `upstream`, e.g. upstream = \"127.0.0.1:5432\"");
        auto upstream = parse_address(text_of(config, "upstream", ""), "net: `upstream`");
        auto r = std::make_unique<net_resource>();
        r->name = name;
        r->px = std::make_unique<proxy>(listen, upstream, name);
        std::string host = r->px->host();
        std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
        std::string hostport = shown + ":" + std::to_string(r->px->port());
        ctx.publish({{"host", host},
                     {"port", r->px->port()},
                     {"address", hostport},
                     {"url", "tcp://" + hostport}});
        return r;
      });

  // Faults a test set end with it, unless they persist.
  plugin.test_hooks<net_resource>(
      [](net_resource *, const std::string &, seam::context &) {},
      [](net_resource *r, const std::string &test_id, seam::context &ctx) {
        std::lock_guard guard(r->lock);
        auto gone = std::remove_if(r->requests.begin(), r->requests.end(), [&](const auto &q) {
          return !q.persist && q.test_id == test_id;
        });
        if (gone == r->requests.end())
          return;
        r->requests.erase(gone, r->requests.end());
        try {
          r->update();
        } catch (const std::exception &e) {
          ctx.warn(e.what());
        }
      });

  plugin.resource_step<net_resource>(
      "fault", "Injects faults into a proxy: latency, bandwidth, reset_peer, timeout, down, slicer",
      fault_schema(), fault_output, [](net_resource *r, const json &in, seam::context &ctx) {
        auto request = parse_fault(in, std::string(ctx.test_id()));
        std::lock_guard guard(r->lock);
        r->requests.push_back(std::move(request));
        try {
          return json{{"faults", r->update().to_json()}};
        } catch (...) {
          r->requests.pop_back();
          r->update();
          throw;
        }
      });

  plugin.resource_step<net_resource>("heal", "Removes every fault of a proxy (persistent ones too)",
                                     R"json({
  "type": "object",
  "additionalProperties": false
})json",
                                     R"json({
  "type": "object",
  "properties": {
    "healed": {
      "type": "integer",
      "description": "how many net.fault requests were removed"
    }
  }
})json",
                                     [](net_resource *r, const json &, seam::context &) {
                                       std::lock_guard guard(r->lock);
                                       size_t n = r->requests.size();
                                       r->requests.clear();
                                       r->update();
                                       return json{{"healed", n}};
                                     });

  plugin.resource_step<net_resource>("stats", "Connections and bytes a proxy has seen",
                                     R"json({
  "type": "object",
  "properties": {
    "reset": {
      "type": "boolean",
      "default": false,
      "description": "start counting again from zero after this call"
    }
  },
  "additionalProperties": false
})json",
                                     stats_output,
                                     [](net_resource *r, const json &in, seam::context &) {
                                       return r->px->stats(in.value("reset", false)).to_json();
                                     });
}
