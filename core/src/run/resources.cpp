// A suite's resources: opened in dependency order before its setup, their
// per-test isolation hooks around every test, closed in reverse order after
// its teardown. An unreachable resource under --skip-unavailable skips the suite.
#include "output_capture.hpp"
#include "run_state.hpp"

namespace seam {

Micros Runner::suite_step_timeout(const Suite &s) const {
  return s.step_timeout ? *s.step_timeout : opt_.default_step_timeout;
}

// The report's entry for opening or closing a resource, as for a step.
StepRecord Runner::resource_record(const Suite &s, const ResourceDef &rd, Phase phase,
                                   const char *verb, Clock::time_point start,
                                   std::vector<LogLine> logs) const {
  StepRecord rec;
  rec.suite_file = s.file->path;
  rec.phase = phase;
  rec.name = std::string(verb) + " resource " + rd.name;
  rec.use = rd.plugin;
  rec.location = rd.loc.str();
  rec.start_ms = ms_between(run_start_, start);
  rec.expected = rec.actual = json(json::value_t::discarded);
  rec.logs = std::move(logs);
  return rec;
}

Runner::SuiteOutcome Runner::open_resources(SuiteState &st) {
  const Suite &s = *st.suite;
  SuiteOutcome outcome;
  st.handles.assign(s.resources.size(), nullptr);
  st.opened.assign(s.resources.size(), false);
  Vars vars(*this, st, nullptr);
  for (size_t i : st.plan->open_order) {
    const ResourceDef &rd = s.resources[i];
    const ResourceKind &kind = *st.plan->kinds[i];
    std::string config;
    try {
      // Names the plugin resolves itself stay as written: `${port.http}`.
      struct KeepLocal : Resolver {
        const Resolver &vars;
        const ResourceKind &kind;
        KeepLocal(const Resolver &v, const ResourceKind &k) : vars(v), kind(k) {}
        std::optional<json> lookup(const Ref &ref) const override {
          if (kind.is_local(ref.root))
            return json("${" + ref.text + "}");
          return vars.lookup(ref);
        }
      } keep_local(vars, kind);
      json rendered_config = rd.config.render(keep_local);
      if (kind.secret_config)
        add_secrets(kind.config_schema, rendered_config);
      config = rendered_config.dump();
    } catch (const UndefinedReference &u) {
      outcome.problem = "resource '" + rd.name + "': " + u.what();
      return outcome;
    }
    CallLimits limits{Clock::now() + suite_step_timeout(s), &interrupts_.stop};
    void *handle = nullptr;
    auto t0 = Clock::now();
    CallSlot &slot = call_slot();
    slot.enter(CallKind::Open, -1, static_cast<int32_t>(i));
    CallResult res = host_.open_resource(kind, rd.name, config, limits, &handle);
    slot.leave();
    if (in_worker_)
      take_plugin_output(res.logs);
    StepRecord rec = resource_record(s, rd, Phase::Setup, "open", t0, std::move(res.logs));
    if (want_io_)
      rec.input = json::parse(config, nullptr, false);
    if (!res.ok()) {
      std::string why = failure_text(res);
      outcome.problem =
          "resource '" + rd.name + "' (" + rd.loc.str() + ") could not be opened: " + why;
      outcome.skipped = res.status == CallStatus::Unavailable && opt_.skip_unavailable;
      rec.status = outcome.skipped ? Status::Skipped : Status::Failed;
      rec.message = why;
    } else {
      st.handles[i] = handle;
      st.opened[i] = true;
      json attrs = json::parse(res.output, nullptr, false);
      st.resources[rd.name] = attrs.is_object() ? attrs : json::object();
      if (want_io_)
        rec.output = st.resources[rd.name];
    }
    rec.duration_ms = ms_since(t0);
    emit_step(rec);
    if (!outcome.problem.empty())
      break;
  }
  return outcome;
}

bool Runner::any_resource_open(const SuiteState &st) const {
  for (bool o : st.opened)
    if (o)
      return true;
  return false;
}

void Runner::close_resources(SuiteState &st) {
  const Suite &s = *st.suite;
  const auto &order = st.plan->open_order;
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    size_t i = *it;
    if (!st.opened[i])
      continue;
    const ResourceDef &rd = s.resources[i];
    auto t0 = Clock::now();
    CallLimits limits{t0 + suite_step_timeout(s), &interrupts_.abort};
    CallSlot &slot = call_slot();
    slot.enter(CallKind::Close, -1, static_cast<int32_t>(i));
    CallResult res = host_.close_resource(*st.plan->kinds[i], st.handles[i], limits);
    slot.leave();
    st.opened[i] = false;
    if (in_worker_)
      take_plugin_output(res.logs);
    // A close that has something to say (a service's last output) is in the
    // report, after the teardown steps; a silent one is not.
    if (res.logs.empty() && (res.output.empty() || res.output == "{}"))
      continue;
    StepRecord rec = resource_record(s, rd, Phase::Teardown, "close", t0, std::move(res.logs));
    if (want_io_)
      rec.output = json::parse(res.output, nullptr, false);
    rec.status = Status::Passed;
    rec.duration_ms = ms_since(t0);
    emit_step(rec);
  }
}

std::string Runner::begin_test(SuiteState &st, const TestState &test) {
  const Suite &s = *st.suite;
  std::string problem;
  for (size_t i : st.plan->open_order) {
    const ResourceKind &kind = *st.plan->kinds[i];
    if (!st.opened[i] || !kind.type.test_begin)
      continue;
    CallLimits limits{Clock::now() + suite_step_timeout(s), &interrupts_.stop};
    CallSlot &slot = call_slot();
    slot.enter(CallKind::TestBegin, static_cast<int32_t>(test.def - st.suite->tests.data()),
               static_cast<int32_t>(i));
    CallResult res = host_.test_begin(kind, st.handles[i], test.id, limits);
    slot.leave();
    if (!res.ok() && problem.empty())
      problem =
          "resource '" + s.resources[i].name + "' could not start the test: " + failure_text(res);
  }
  return problem;
}

void Runner::end_test(SuiteState &st, const TestState &test) {
  const auto &order = st.plan->open_order;
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    size_t i = *it;
    const ResourceKind &kind = *st.plan->kinds[i];
    if (st.opened[i] && kind.type.test_end) {
      CallSlot &slot = call_slot();
      slot.enter(CallKind::TestEnd, static_cast<int32_t>(test.def - st.suite->tests.data()),
                 static_cast<int32_t>(i));
      host_.test_end(kind, st.handles[i], test.id);
      slot.leave();
    }
  }
}

} // namespace seam
