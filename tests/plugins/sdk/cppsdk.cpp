// cppsdk.cpp - exercises what seam/plugin.hpp adds in ABI 1.2: state the
// framework owns, two kinds of resource, seam::unavailable, ctx.deadline(),
// steps that read their input in place (seam::json_view) and write their
// output as text (seam::json_builder).
#include <seam/plugin.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace {

using seam::json;

// Counts its own instances across every host that loads the library, so that
// a test sees each host get a state of its own and every state destroyed.
std::atomic<int> &live_states() {
  static std::atomic<int> n{0};
  return n;
}

struct counter {
  explicit counter(seam::context &ctx) : jobs(ctx.jobs()) { ++live_states(); }
  ~counter() { --live_states(); }
  unsigned jobs;
  std::atomic<long> calls{0};
};

struct client {
  std::string name;
};
struct mock {
  std::string name;
  int served = 0;
  // Called when seam closes the resource, with a context: what it says here
  // is the report's "close resource NAME" entry.
  void close(seam::context &ctx) {
    ctx.info("mock " + name + " served " + std::to_string(served) + " calls");
    ctx.publish({{"served", served}});
  }
};

} // namespace

SEAM_PLUGIN(plugin) {
  plugin.info("cppsdk", "1.0.0", "C++ SDK test plugin: state, resource kinds, unavailable");
  plugin.state<counter>();
  plugin.resource<client>({.kind = "client", .summary = "a client"},
                          [](const std::string &name, const json &config, seam::context &) {
                            if (config.value("down", false))
                              throw seam::unavailable("nothing listens on 127.0.0.1:1");
                            return std::make_unique<client>(client{name});
                          });
  plugin.resource<mock>({.kind = "mock", .summary = "a mock"},
                        [](const std::string &name, const json &, seam::context &ctx) {
                          ctx.publish({{"kind", "mock"}});
                          return std::make_unique<mock>(mock{name});
                        });
  plugin.step({.name = "count", .summary = "Counts calls in the plugin's state"},
              [](const json &, seam::context &ctx) {
                auto &c = ctx.state<counter>();
                return json{{"calls", ++c.calls}, {"live", live_states().load()}};
              });
  plugin.step<client>({.name = "whoami", .summary = "The client's name"},
                      [](client &c, const json &, seam::context &) {
                        return json{{"client", c.name}};
                      });
  plugin.step<mock>({.name = "mock_name", .summary = "The mock's name"},
                    [](mock &m, const json &, seam::context &) {
                      ++m.served;
                      return json{{"mock", m.name}};
                    });
  // Output written as text: the input's `names` as rows, and on the mock
  // resource (optional) its name; `misuse` leaves an object open.
  plugin.step<mock>({.name = "rows_text",
                     .summary = "The input's names as rows, written with seam::json_builder",
                     .resource = SEAM_RESOURCE_OPTIONAL},
                    [](mock *m, const json &in, seam::context &) {
                      seam::json_builder out;
                      out.begin_object();
                      out.key("count").value(in.value("names", json::array()).size());
                      if (m != nullptr)
                        out.key("mock").value(m->name);
                      out.key("rows").begin_array();
                      for (const auto &n : in.value("names", json::array()))
                        out.begin_object().key("name").value(n.get<std::string>()).end_object();
                      out.end_array();
                      if (!in.value("misuse", false))
                        out.end_object();
                      return out.take();
                    });
  // Input read in place: the sum of `numbers`, the members' names, and
  // `name` as a string (a step given no string there fails with the view's
  // message).
  plugin.step({.name = "view_sum", .summary = "Sums `numbers`, read with seam::json_view"},
              [](seam::json_view in, seam::context &) {
                double sum = 0;
                in["numbers"].elements([&](seam::json_view n) { sum += n.get_double(); });
                json keys = json::array();
                in.members([&](std::string_view key, seam::json_view) { keys.push_back(key); });
                return json{{"sum", sum},
                            {"keys", keys},
                            {"name", in.value("name", "nobody")},
                            {"limit", in.value("limit", int64_t{10})}};
              });
  plugin.step<mock>({.name = "view_mock", .summary = "The mock's name and the input's `tag`"},
                    [](mock &m, seam::json_view in, seam::context &) {
                      seam::json_builder out;
                      out.begin_object().key("mock").value(m.name);
                      out.key("tag").value(in["tag"].to_json()).end_object();
                      return out.take();
                    });
  // Waits for the call's deadline, from a thread of its own.
  plugin.step({.name = "sleep", .summary = "Waits until the deadline passes or `for` elapses"},
              [](const json &in, seam::context &ctx) {
                auto limit = seam::parse_duration(in.value("for", "10s"));
                seam::deadline d = ctx.deadline().within(*limit);
                bool had_limit = ctx.deadline().has_limit();
                std::thread waiter([d] {
                  while (!d.done())
                    std::this_thread::sleep_for(d.bounded(std::chrono::milliseconds(5)));
                });
                waiter.join();
                return json{{"expired", d.expired()},
                            {"cancelled", d.cancelled()},
                            {"host_deadline", had_limit}};
              });
}
