// plugin.cpp - the process plugin: `process` resources (services under test,
// started, waited for, stopped) and the steps that control them, plus
// process.exec for one-off commands.
#include "config.hpp"
#include "ready.hpp"
#include "run_command.hpp"
#include "schemas.hpp"
#include "service.hpp"

#include <seam/plugin.hpp>

#include <algorithm>
#include <csignal>
#include <memory>
#include <mutex>

namespace {

using namespace seam_process;
using seam::json;
using std::chrono::milliseconds;

struct process_resource {
  std::string name;
  resource_config cfg;
  std::unique_ptr<service> svc;
  std::mutex control; // one start/stop/restart at a time

  // After teardown: stops the service and leaves its output (as much as
  // log_size kept) and how it ended in the run's report.
  void close(seam::context &ctx);
};

json status_json(const service &svc) {
  auto st = svc.get_status();
  return {{"state", st.state},
          {"running", st.state != "exited"},
          {"pid", st.pid},
          {"starts", st.starts},
          {"exit_code", st.exit_code ? json(*st.exit_code) : json()},
          {"signal", st.signal ? json(signal_name(*st.signal)) : json()},
          {"by_seam", st.by_seam}};
}

void process_resource::close(seam::context &ctx) {
  std::lock_guard lock(control);
  svc->stop(milliseconds(svc->spec().grace_ms));
  auto kept = svc->log().since(0);
  ctx.publish(
      {{"status", status_json(*svc)}, {"output", kept.text}, {"output_truncated", kept.truncated}});
}

// The step's deadline as a time point (far away when it has none).
clock::time_point deadline(const seam::context &ctx) {
  if (auto left = ctx.remaining())
    return clock::now() + *left;
  return clock::now() + std::chrono::hours(24);
}

milliseconds bounded(milliseconds want, const seam::context &ctx) {
  if (auto left = ctx.remaining())
    return std::min(want, *left);
  return want;
}

void start_and_wait(process_resource *r, const std::string &step, seam::context &ctx) {
  try {
    r->svc->start();
  } catch (const std::exception &e) {
    throw seam::error(step + ": '" + r->name + "' " + e.what());
  }
  try {
    wait_ready(*r->svc, r->cfg.ready, ctx);
  } catch (const std::exception &e) {
    r->svc->stop(bounded(r->cfg.grace, ctx));
    throw seam::error(step + ": '" + r->name + "' is not ready: " + e.what());
  }
}

json logs(process_resource *r, const json &in, seam::context &ctx) {
  service &svc = *r->svc;
  uint64_t since = svc.start_mark();
  if (auto s = in.find("since"); s != in.end()) {
    if (s->is_number_integer() && s->get<int64_t>() >= 0)
      since = s->get<uint64_t>();
    else if (*s == "all")
      since = 0;
    else if (*s != "start")
      throw seam::error("process.logs: `since` must be a mark (an integer from an earlier "
                        "process.logs), \"start\" or \"all\", not " +
                        s->dump());
  }
  const json *until = in.contains("until") ? &in["until"] : nullptr;
  auto limit = deadline(ctx);
  if (auto t = in.find("timeout"); t != in.end())
    limit = std::min(limit, clock::now() + duration_input(*t, "process.logs: timeout"));
  for (;;) {
    bool finished = !svc.running();
    if (finished)
      svc.wait_drained(clock::now() + milliseconds(1000));
    auto slice = svc.log().since(since);
    json out = {{"text", slice.text},
                {"lines", split_lines(slice.text)},
                {"mark", slice.to},
                {"from", slice.from},
                {"truncated", slice.truncated}};
    if (until == nullptr || ctx.match(*until, {{"text", out["text"]}, {"lines", out["lines"]}}))
      return out;
    std::string wanted = until->dump();
    if (finished)
      throw seam::error("process.logs: '" + r->name + "' " + svc.describe() +
                        " and its output never matched " + wanted + output_tail(svc));
    if (ctx.cancelled() || clock::now() >= limit)
      throw seam::error("process.logs: '" + r->name + "' did not log what " + wanted +
                        " asks for in time (it " + svc.describe() + ")" + output_tail(svc));
    svc.log().wait_past(slice.to, std::min(limit, clock::now() + milliseconds(50)));
  }
}

json exec(const json &in, seam::context &ctx) {
  command_spec spec = parse_command(in, {});
  auto until = deadline(ctx);
  if (auto t = in.find("timeout"); t != in.end())
    until = std::min(until, clock::now() + duration_input(*t, "process.exec: timeout"));
  std::string what = spec.argv[0] == "/bin/sh" ? spec.argv.back() : spec.argv[0];
  run_result res;
  try {
    res = run_command(
        spec, in.value("stdin", ""), until, [&] { return ctx.cancelled(); },
        in.value("max_output", size_t{1} << 20));
  } catch (const std::exception &e) {
    throw seam::error(std::string("process.exec: ") + e.what());
  }
  json out = {{"exit_code", res.exit_code ? json(*res.exit_code) : json()},
              {"signal", res.signal ? json(signal_name(*res.signal)) : json()},
              {"stdout", res.out},
              {"stderr", res.err},
              {"duration_ms", res.duration_ms}};
  auto last = [&] {
    std::string err = res.err.empty() ? res.out : res.err;
    return err.empty() ? std::string()
                       : "\n" + err.substr(err.size() > 2000 ? err.size() - 2000 : 0);
  };
  if (res.timed_out || res.cancelled)
    throw seam::error("process.exec: '" + what + "' did not finish " +
                      (res.timed_out ? "in time" : "before the step was cancelled") +
                      " and was killed" + last());
  if (in.value("check", true) && (!res.exit_code || *res.exit_code != 0))
    throw seam::error("process.exec: '" + what + "' " +
                      (res.exit_code
                           ? "exited with code " + std::to_string(*res.exit_code)
                           : "was killed by signal " + signal_name(res.signal.value_or(0))) +
                      "; hint: check = false accepts any exit" + last());
  return out;
}

} // namespace

SEAM_PLUGIN(plugin) {
  plugin.info("process", "0.1.0",
              "Services under test: start, wait ready, stop, kill, pause; commands");

  plugin.resource<process_resource>(
      "A service started before setup, ready-checked, stopped after teardown", schemas::resource,
      [](const std::string &name, const json &config, seam::context &ctx) {
        auto r = std::make_unique<process_resource>();
        r->name = name;
        r->cfg = parse_resource(config);
        r->svc = std::make_unique<service>(r->cfg.spec, r->cfg.log_size);
        r->svc->start();
        // On failure r goes out of scope: its service is stopped, then killed.
        wait_ready(*r->svc, r->cfg.ready, ctx);
        json ports = json::object();
        for (const auto &[port_name, port] : r->cfg.ports)
          ports[port_name] = port;
        json attrs = {{"pid", r->svc->get_status().pid}, {"host", "127.0.0.1"}, {"port", ports}};
        if (!r->cfg.ports.empty())
          attrs["url"] = "http://127.0.0.1:" + std::to_string(r->cfg.ports.front().second);
        ctx.publish(attrs);
        return r;
      });

  plugin.resource_step<process_resource>(
      "stop", "Stops the service: SIGTERM to its process group, SIGKILL after `grace`",
      schemas::stop, schemas::status_output,
      [](process_resource *r, const json &in, seam::context &ctx) {
        std::lock_guard lock(r->control);
        auto grace = in.contains("grace") ? duration_input(in["grace"], "process.stop: grace")
                                          : r->cfg.grace;
        r->svc->stop(bounded(grace, ctx));
        return status_json(*r->svc);
      });

  plugin.resource_step<process_resource>(
      "kill", "Sends a signal to the service's process group (default KILL)", schemas::kill,
      schemas::status_output, [](process_resource *r, const json &in, seam::context &ctx) {
        std::lock_guard lock(r->control);
        std::string name = in.value("signal", "KILL");
        auto sig = parse_signal(name);
        if (!sig)
          throw seam::error("process.kill: unknown signal '" + name +
                            "'; hint: a name such as "
                            "\"TERM\", \"KILL\", \"INT\", \"HUP\" or \"USR1\"");
        try {
          r->svc->send(*sig);
        } catch (const std::exception &e) {
          throw seam::error("process.kill: '" + r->name + "' " + e.what());
        }
        if (*sig == SIGKILL || in.contains("wait")) {
          auto until = deadline(ctx);
          if (in.contains("wait"))
            until =
                std::min(until, clock::now() + duration_input(in["wait"], "process.kill: wait"));
          if (!r->svc->wait_exit(until, [&] { return ctx.cancelled(); }))
            throw seam::error("process.kill: '" + r->name + "' still " + r->svc->describe() +
                              " after SIG" + signal_name(*sig));
        }
        return status_json(*r->svc);
      });

  plugin.resource_step<process_resource>(
      "start", "Starts the service again (same command and ports) and waits until it is ready",
      schemas::empty, schemas::status_output,
      [](process_resource *r, const json &, seam::context &ctx) {
        std::lock_guard lock(r->control);
        start_and_wait(r, "process.start", ctx);
        return status_json(*r->svc);
      });

  plugin.resource_step<process_resource>(
      "restart", "Stops the service, starts it again and waits until it is ready", schemas::stop,
      schemas::status_output, [](process_resource *r, const json &in, seam::context &ctx) {
        std::lock_guard lock(r->control);
        auto grace = in.contains("grace") ? duration_input(in["grace"], "process.restart: grace")
                                          : r->cfg.grace;
        r->svc->stop(bounded(grace, ctx));
        start_and_wait(r, "process.restart", ctx);
        return status_json(*r->svc);
      });

  plugin.resource_step<process_resource>(
      "pause", "Freezes the service (SIGSTOP): it holds its connections and answers nothing",
      schemas::empty, schemas::status_output,
      [](process_resource *r, const json &, seam::context &) {
        std::lock_guard lock(r->control);
        try {
          r->svc->pause();
        } catch (const std::exception &e) {
          throw seam::error("process.pause: '" + r->name + "' " + e.what());
        }
        return status_json(*r->svc);
      });

  plugin.resource_step<process_resource>(
      "resume", "Lets a paused service run again (SIGCONT)", schemas::empty, schemas::status_output,
      [](process_resource *r, const json &, seam::context &) {
        std::lock_guard lock(r->control);
        try {
          r->svc->resume();
        } catch (const std::exception &e) {
          throw seam::error("process.resume: '" + r->name + "' " + e.what());
        }
        return status_json(*r->svc);
      });

  plugin.resource_step<process_resource>(
      "status", "The service's state: running, paused or exited (with its code or signal)",
      schemas::empty, schemas::status_output,
      [](process_resource *r, const json &, seam::context &) { return status_json(*r->svc); });

  plugin.resource_step<process_resource>(
      "logs", "The service's output (stdout and stderr) since a mark, waiting for `until`",
      schemas::logs, schemas::logs_output, &logs);

  plugin.step("exec", "Runs a command to its end: exit code, stdout, stderr", schemas::exec,
              schemas::exec_output, &exec);
}
