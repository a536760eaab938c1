#include "seam/core/runner.hpp"

#include "seam/core/schema.hpp"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <random>
#include <thread>
#include <unordered_map>

namespace seam {

using Clock = std::chrono::steady_clock;

std::string_view status_name(Status s) {
  switch (s) {
  case Status::Passed:
    return "passed";
  case Status::Failed:
    return "failed";
  case Status::Skipped:
    return "skipped";
  }
  return "";
}

std::string iso_now() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
  return out;
}

namespace {

std::mt19937_64 &rng() {
  thread_local std::mt19937_64 g{std::random_device{}()};
  return g;
}

std::string random_hex(size_t n) {
  static const char *hex = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i)
    s += hex[rng()() & 15];
  return s;
}

std::string uuid4() {
  std::string h = random_hex(32);
  h[12] = '4';
  h[16] = "89ab"[rng()() & 3];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" +
         h.substr(20);
}

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

std::string format_duration(Micros d) {
  auto us = d.count();
  char buf[32];
  if (us % 1000000 == 0)
    std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(us / 1000000));
  else if (us % 1000 == 0)
    std::snprintf(buf, sizeof buf, "%lldms", static_cast<long long>(us / 1000));
  else
    std::snprintf(buf, sizeof buf, "%.3fms", static_cast<double>(us) / 1000.0);
  return buf;
}

} // namespace

// The events of one test run on a worker thread (--jobs), held back until
// they can be reported in order.
struct Runner::TestEvents {
  const TestDef *def = nullptr;
  bool started = false;
  std::vector<StepRecord> steps;
  TestRecord record;
};

thread_local Runner::TestEvents *Runner::tl_events = nullptr;

struct Runner::TestState {
  const TestDef *def = nullptr;
  std::string id;
  std::unordered_map<std::string, json> saves;
};

struct Runner::SuiteState {
  Suite *suite = nullptr;
  std::unordered_map<std::string, json> vars; // [vars], --var, and setup saves
  json resources = json::object();            // name -> attributes
  std::vector<void *> handles;                // per resource (by index), nullptr if not open
  std::vector<bool> opened;
};

class Runner::Vars : public Resolver {
public:
  Vars(const Runner &r, const SuiteState &s, const TestState *t) : r_(r), s_(s), t_(t) {}

  std::optional<json> lookup(const Ref &ref) const override {
    const auto &segs = ref.path.segments();
    auto field = [&]() -> std::string {
      if (segs.empty())
        return "";
      const auto *k = std::get_if<std::string>(&segs[0]);
      return k ? *k : "";
    };
    const std::string &root = ref.root;
    if (root == "env") {
      const char *v = std::getenv(field().c_str());
      if (!v)
        return std::nullopt;
      return json(v);
    }
    if (root == "run") {
      if (field() == "id")
        return json(r_.run_id_);
      if (field() == "started_at")
        return json(r_.started_at_);
      return std::nullopt;
    }
    if (root == "suite") {
      if (field() == "name")
        return json(s_.suite->name);
      if (field() == "file")
        return json(s_.suite->file->path);
      return std::nullopt;
    }
    if (root == "test") {
      if (!t_)
        return std::nullopt;
      if (field() == "id")
        return json(t_->id);
      if (field() == "name")
        return json(t_->def->name);
      return std::nullopt;
    }
    if (root == "uuid")
      return json(uuid4());
    if (root == "now")
      return json(iso_now());
    if (root == "resources")
      return walk(s_.resources, ref.path);
    if (t_) {
      if (auto it = t_->saves.find(root); it != t_->saves.end())
        return walk(it->second, ref.path);
    }
    if (auto it = s_.vars.find(root); it != s_.vars.end())
      return walk(it->second, ref.path);
    return std::nullopt;
  }

private:
  static std::optional<json> walk(const json &v, const JsonPath &p) {
    const json *found = p.find(v);
    if (!found)
      return std::nullopt;
    return *found;
  }

  const Runner &r_;
  const SuiteState &s_;
  const TestState *t_;
};

Runner::Runner(PluginHost &host, Secrets &secrets, RunOptions options,
               std::vector<Reporter *> reporters, Interrupts &interrupts)
    : host_(host), secrets_(secrets), opt_(std::move(options)), reporters_(std::move(reporters)),
      interrupts_(interrupts) {
  for (auto *r : reporters_)
    want_io_ = want_io_ || r->wants_step_io();
  run_id_ = random_hex(10);
  started_at_ = iso_now();
}

Runner::~Runner() = default;

void Runner::prepare(std::vector<Suite *> suites, std::vector<Diagnostic> &errors) {
  for (Suite *s : suites) {
    auto st = std::make_unique<SuiteState>();
    st->suite = s;
    Vars vars(*this, *st, nullptr);
    for (const auto &v : s->vars) {
      json value;
      if (auto cli = opt_.vars.find(v.name); cli != opt_.vars.end()) {
        value = cli->second;
      } else if (v.env) {
        const char *e = std::getenv(v.env->c_str());
        if (e) {
          value = e;
        } else if (v.value.is_constant() && v.value.constant_value().is_discarded()) {
          errors.push_back({v.loc, "environment variable " + *v.env + " is not set (variable '" + v.name + "')",
                            "export " + *v.env + "=..., pass --var " + v.name + "=..., or give a default"});
          continue;
        } else {
          try {
            value = v.value.render(vars);
          } catch (const UndefinedReference &u) {
            errors.push_back({u.ref().loc, u.what(), ""});
            continue;
          }
        }
      } else {
        try {
          value = v.value.render(vars);
        } catch (const UndefinedReference &u) {
          const Ref &ref = u.ref();
          if (ref.root == "env")
            errors.push_back({ref.loc, "environment variable " + ref.path.text() + " is not set (in variable '" + v.name + "')",
                              "export " + ref.path.text() + "=..., or give a default: ${" + ref.text + ":-default}"});
          else
            errors.push_back({ref.loc, u.what(), ""});
          continue;
        }
      }
      if (v.secret)
        secrets_.add(to_text(value));
      st->vars[v.name] = std::move(value);
    }
    for (const auto &[k, v] : opt_.vars)
      if (!st->vars.count(k))
        st->vars[k] = v;
    suites_.push_back(std::move(st));
  }
}

bool Runner::selected(const Suite &s, const TestDef &t, std::string *why) const {
  if (!opt_.tags.empty()) {
    bool any = false;
    for (const auto &want : opt_.tags) {
      any = any || std::find(t.tags.begin(), t.tags.end(), want) != t.tags.end() ||
            std::find(s.tags.begin(), s.tags.end(), want) != s.tags.end();
    }
    if (!any) {
      *why = "not tagged";
      return false;
    }
  }
  if (opt_.filter && !opt_.filter->search(t.name)) {
    *why = "filtered out";
    return false;
  }
  return true;
}

RunSummary Runner::run(std::vector<std::string> *report_errors) {
  auto start = Clock::now();
  RunInfo info{run_id_, started_at_, suites_.size()};
  for (auto *r : reporters_)
    r->run_started(info);
  RunSummary sum;
  for (auto &st : suites_)
    run_suite(*st, sum);
  sum.duration_ms = ms_since(start);
  sum.interrupted = interrupts_.stop.load();
  for (auto *r : reporters_) {
    std::string err;
    if (!r->run_finished(sum, &err) && report_errors)
      report_errors->push_back(secrets_.mask(err));
  }
  return sum;
}

void Runner::add_secrets(const json &schema, const json &value) {
  std::vector<std::string> found;
  collect_secret_values(schema, value, found);
  for (const auto &f : found)
    secrets_.add(f);
}

void Runner::emit_step(StepRecord &rec) {
  if (!secrets_.empty()) {
    secrets_.mask_in_place(rec.message);
    rec.expected = secrets_.mask_json(rec.expected);
    rec.actual = secrets_.mask_json(rec.actual);
    rec.input = secrets_.mask_json(rec.input);
    rec.output = secrets_.mask_json(rec.output);
    for (auto &l : rec.logs)
      secrets_.mask_in_place(l.text);
  }
  if (tl_events) {
    tl_events->steps.push_back(std::move(rec));
    return;
  }
  std::lock_guard lock(report_mu_);
  for (auto *r : reporters_)
    r->step_finished(rec);
}

void Runner::emit_test_started(const Suite &s, const TestDef &t) {
  if (tl_events) {
    tl_events->started = true;
    return;
  }
  std::lock_guard lock(report_mu_);
  for (auto *r : reporters_)
    r->test_started(s, t);
}

Status Runner::run_step(SuiteState &st, TestState *test, const StepDef &step, Phase phase,
                        std::optional<Clock::time_point> test_deadline, std::string *message) {
  StepRecord rec;
  rec.suite_file = st.suite->file->path;
  rec.test = test ? test->def->name : "";
  rec.phase = phase;
  rec.name = step.name;
  rec.use = step.use;
  rec.location = step.loc.str();
  rec.expected = json(json::value_t::discarded);
  rec.actual = json(json::value_t::discarded);
  auto start = Clock::now();
  Vars vars(*this, st, test);
  bool cleanup = phase == Phase::Cleanup || phase == Phase::Teardown;
  const std::atomic<bool> *interrupt = cleanup ? &interrupts_.abort : &interrupts_.stop;
  Micros timeout = step.timeout ? *step.timeout
                                : st.suite->step_timeout ? *st.suite->step_timeout : opt_.default_step_timeout;
  void *resource = step.resource >= 0 ? st.handles[static_cast<size_t>(step.resource)] : nullptr;

  Status status = Status::Failed;
  Micros wait = step.retry.interval;
  std::string rendered;
  for (int attempt = 1; attempt <= step.retry.attempts; ++attempt) {
    rec.attempts = attempt;
    rec.failed_path.clear();
    rec.expected = json(json::value_t::discarded);
    rec.actual = json(json::value_t::discarded);
    // Input: rendered once at check time when constant.
    rendered.clear();
    std::string_view input = step.input_text;
    json input_value;
    const bool secret_inputs = step.target->secret_inputs;
    if (secret_inputs && !step.input_text.empty())
      add_secrets(step.target->input_schema, step.with.constant_value());
    if (step.input_text.empty() && !want_io_ && !step.run_check_whole && step.run_checks.empty() &&
        !secret_inputs) {
      // The common case: straight to the JSON text the plugin reads.
      try {
        step.with.render_json(vars, rendered);
      } catch (const UndefinedReference &u) {
        if (cleanup) {
          rec.status = Status::Skipped;
          rec.message = "skipped: '" + u.ref().text + "' was never set (the step that saves it did not run)";
          rec.duration_ms = ms_since(start);
          emit_step(rec);
          return Status::Skipped;
        }
        rec.message = std::string(u.what()) + " at " + u.ref().loc.str();
        break;
      }
      input = rendered;
    } else if (step.input_text.empty()) {
      try {
        input_value = step.with.render(vars);
      } catch (const UndefinedReference &u) {
        if (cleanup) {
          rec.status = Status::Skipped;
          rec.message = "skipped: '" + u.ref().text + "' was never set (the step that saves it did not run)";
          rec.duration_ms = ms_since(start);
          emit_step(rec);
          return Status::Skipped;
        }
        rec.message = std::string(u.what()) + " at " + u.ref().loc.str();
        break;
      }
      if (secret_inputs)
        add_secrets(step.target->input_schema, input_value);
      std::vector<SchemaError> errs;
      if (step.run_check_whole) {
        errs = validate_schema(step.target->input_schema, input_value);
      } else {
        for (const auto &[key, sub] : step.run_checks) {
          if (auto it = input_value.find(key); it != input_value.end()) {
            errs = validate_schema(*sub, *it, {key});
            if (!errs.empty())
              break;
          }
        }
      }
      if (!errs.empty()) {
        rec.message = "invalid input after interpolation: " + errs.front().message;
        if (want_io_)
          rec.input = input_value;
        break;
      }
      rendered = input_value.dump(-1, ' ', false, json::error_handler_t::replace);
      input = rendered;
    }
    if (want_io_)
      rec.input = input_value.is_null() ? step.with.constant_value() : input_value;

    auto call_start = Clock::now();
    auto deadline = call_start + timeout;
    bool test_limit = false;
    if (test_deadline && *test_deadline < deadline) {
      deadline = *test_deadline;
      test_limit = true;
    }
    CallLimits limits{deadline, interrupt, test ? &test->id : nullptr};
    CallResult res = host_.call(*step.target, resource, input, limits);
    rec.logs.insert(rec.logs.end(), std::make_move_iterator(res.logs.begin()),
                    std::make_move_iterator(res.logs.end()));
    bool late = Clock::now() >= deadline;
    bool timed_out = false;
    rec.message.clear();
    if (interrupt->load()) {
      rec.message = "interrupted";
      break;
    }
    if (late) {
      rec.message = test_limit ? "timed out: the test's timeout passed during this step"
                               : "timed out after " + format_duration(timeout);
      if (!res.ok)
        rec.message += " (" + res.error + ")";
      if (step.expect_error || step.expect_any_error) {
        // A timeout is an error like any other for error-path tests.
        res.ok = false;
        res.error = rec.message;
        rec.message.clear();
      } else if (test_limit) {
        break;
      } else {
        // The attempt did not succeed in time: retried like any failed one.
        timed_out = true;
      }
    }
    if (timed_out) {
      // rec.message says so; the retry below decides what happens next.
    } else if (step.expect_error || step.expect_any_error) {
      if (res.ok) {
        rec.message = "expected the step to fail, but it succeeded";
        if (want_io_)
          rec.output = json::parse(res.output, nullptr, false);
      } else {
        json err = res.error;
        std::optional<Mismatch> mm;
        if (step.expect_error)
          mm = evaluate(*step.expect_error, "error", &err, vars);
        if (mm) {
          rec.message = mm->message;
          rec.failed_path = "error";
          rec.expected = mm->expected;
          rec.actual = err;
        } else {
          status = Status::Passed;
          if (want_io_)
            rec.output = json{{"error", res.error}};
        }
      }
    } else if (!res.ok) {
      rec.message = res.error;
    } else {
      // "{}" is what most steps without outputs return: skip the parser.
      json out = res.output == "{}" ? json::object() : json::parse(res.output, nullptr, false);
      if (out.is_discarded()) {
        rec.message = "plugin returned output that is not JSON: " + brief(json(res.output));
      } else {
        std::optional<Mismatch> mm;
        for (const auto &e : step.expect) {
          try {
            mm = evaluate(e, out, vars);
          } catch (const UndefinedReference &u) {
            mm = Mismatch{e.path_text, "", json(), json(), std::string(u.what())};
          }
          if (mm)
            break;
        }
        if (mm) {
          rec.message = mm->message;
          rec.failed_path = mm->path;
          rec.expected = mm->expected;
          rec.actual = mm->actual;
        } else {
          status = Status::Passed;
          for (const auto &sv : step.save) {
            const json *v = sv.path.find(out);
            if (!v) {
              status = Status::Failed;
              rec.message = "save '" + sv.var + "': '" + sv.path.text() + "' is not in the step's output";
              break;
            }
            if (test)
              test->saves[sv.var] = *v;
            else
              st.vars[sv.var] = *v;
          }
        }
        if (want_io_)
          rec.output = std::move(out);
      }
    }
    if (status == Status::Passed || attempt == step.retry.attempts)
      break;
    // Poll again after the interval, unless that would pass the test's deadline.
    auto next = Clock::now() + wait;
    if (test_deadline && next >= *test_deadline) {
      rec.message += " (no retry left before the test's timeout)";
      break;
    }
    while (Clock::now() < next && !interrupt->load())
      std::this_thread::sleep_for(std::min<Clock::duration>(next - Clock::now(), std::chrono::milliseconds(20)));
    if (interrupt->load()) {
      rec.message = "interrupted";
      break;
    }
    wait = std::chrono::duration_cast<Micros>(wait * step.retry.backoff);
  }
  if (status == Status::Failed && step.retry.attempts > 1 && rec.message != "interrupted")
    rec.message += " (after " + std::to_string(rec.attempts) + " attempt" + (rec.attempts == 1 ? "" : "s") + ")";
  rec.status = status;
  rec.duration_ms = ms_since(start);
  emit_step(rec);
  if (status != Status::Passed && message)
    *message = "step '" + rec.name + "' (" + rec.location + "): " + rec.message;
  return status;
}

void Runner::run_suite(SuiteState &st, RunSummary &sum) {
  Suite &s = *st.suite;
  auto start = Clock::now();
  for (auto *r : reporters_)
    r->suite_started(s);
  SuiteRecord srec;
  srec.file = s.file->path;
  srec.name = s.name;
  srec.started_at = iso_now();
  std::string suite_problem;
  bool suite_skipped = false;

  auto finish_test = [&](TestRecord &tr) {
    secrets_.mask_in_place(tr.message);
    switch (tr.status) {
    case Status::Passed:
      ++srec.passed;
      break;
    case Status::Failed:
      ++srec.failed;
      break;
    case Status::Skipped:
      ++srec.skipped;
      break;
    }
    for (auto *r : reporters_)
      r->test_finished(tr);
  };
  auto base_record = [&](const TestDef &t) {
    TestRecord tr;
    tr.suite_file = s.file->path;
    tr.suite_name = s.name;
    tr.name = t.name;
    tr.location = t.loc.str();
    tr.tags = t.tags;
    return tr;
  };

  // Resources, in dependency order.
  st.handles.assign(s.resources.size(), nullptr);
  st.opened.assign(s.resources.size(), false);
  Vars vars(*this, st, nullptr);
  // After --fail-fast tripped or an interrupt, a later suite opens nothing and
  // runs no setup: its tests are reported as not run, one by one.
  const bool halted = stop_all_ || interrupts_.stop.load();
  for (size_t i = 0; i < s.resources.size() && suite_problem.empty() && !halted; ++i) {
    const ResourceDef &rd = s.resources[i];
    const LoadedPlugin *p = host_.find(rd.plugin);
    std::string config;
    try {
      json rendered_config = rd.config.render(vars);
      if (p->secret_config)
        add_secrets(p->config_schema, rendered_config);
      config = rendered_config.dump();
    } catch (const UndefinedReference &u) {
      suite_problem = "resource '" + rd.name + "': " + u.what();
      break;
    }
    CallLimits limits{Clock::now() + opt_.default_step_timeout, &interrupts_.stop};
    void *handle = nullptr;
    auto t0 = Clock::now();
    CallResult res = host_.open_resource(*p, rd.name, config, limits, &handle);
    StepRecord rec;
    rec.suite_file = s.file->path;
    rec.phase = Phase::Setup;
    rec.name = "open resource " + rd.name;
    rec.use = rd.plugin;
    rec.location = rd.loc.str();
    rec.expected = rec.actual = json(json::value_t::discarded);
    rec.logs = std::move(res.logs);
    if (want_io_)
      rec.input = json::parse(config, nullptr, false);
    if (!res.ok) {
      bool unavailable = res.error.rfind("unavailable:", 0) == 0;
      suite_problem = "resource '" + rd.name + "' (" + rd.loc.str() + ") could not be opened: " + res.error;
      suite_skipped = unavailable && opt_.skip_unavailable;
      rec.status = suite_skipped ? Status::Skipped : Status::Failed;
      rec.message = res.error;
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
  }

  bool setup_ok = suite_problem.empty();
  if (setup_ok && !halted) {
    for (const auto &step : s.setup) {
      std::string msg;
      if (interrupts_.stop.load() || run_step(st, nullptr, step, Phase::Setup, std::nullopt, &msg) != Status::Passed) {
        suite_problem = msg.empty() ? "interrupted" : "setup failed: " + msg;
        setup_ok = false;
        break;
      }
    }
  }

  // The tests this run selects; the others are not part of it at all.
  std::vector<const TestDef *> chosen;
  for (const auto &t : s.tests) {
    std::string why;
    if (selected(s, t, &why))
      chosen.push_back(&t);
  }

  // One test, start to end, on the calling thread: its per-test hooks,
  // steps and cleanup all run there (plugins may keep per-thread state).
  auto run_test = [&](const TestDef &t) {
    TestRecord tr = base_record(t);
    if (!setup_ok || t.skip || stop_all_.load() || interrupts_.stop.load()) {
      tr.status = Status::Skipped;
      tr.message = !setup_ok ? (suite_skipped ? "skipped: " : "not run: ") + suite_problem
                   : t.skip   ? (t.skip_reason.empty() ? "skipped" : t.skip_reason)
                   : stop_all_.load() ? "not run: an earlier test failed (--fail-fast)"
                                      : "not run: interrupted";
      return tr;
    }
    TestState ts;
    ts.def = &t;
    ts.id = run_id_ + "-" + std::to_string(&t - s.tests.data() + 1);
    tr.id = ts.id;
    emit_test_started(s, t);
    auto t0 = Clock::now();
    std::optional<Clock::time_point> deadline;
    if (t.timeout)
      deadline = t0 + *t.timeout;
    tr.status = Status::Passed;
    // Per-test isolation hooks of the suite's resources.
    for (size_t i = 0; i < s.resources.size(); ++i) {
      const LoadedPlugin *p = host_.find(s.resources[i].plugin);
      if (!st.opened[i] || !p->resource_type.test_begin)
        continue;
      CallLimits limits{Clock::now() + opt_.default_step_timeout, &interrupts_.stop};
      CallResult res = host_.test_begin(*p, st.handles[i], ts.id, limits);
      if (!res.ok && tr.status == Status::Passed) {
        tr.status = Status::Failed;
        tr.message = "resource '" + s.resources[i].name + "' could not start the test: " + res.error;
      }
    }
    for (const auto &step : t.steps) {
      if (tr.status != Status::Passed)
        break;
      std::string msg;
      if (interrupts_.stop.load()) {
        tr.status = Status::Failed;
        tr.message = "interrupted";
        break;
      }
      if (run_step(st, &ts, step, Phase::Test, deadline, &msg) != Status::Passed) {
        tr.status = Status::Failed;
        tr.message = msg;
        break;
      }
    }
    // Cleanup always runs, in reverse order, with its own deadlines.
    for (auto it = t.cleanup.rbegin(); it != t.cleanup.rend(); ++it) {
      std::string msg;
      if (run_step(st, &ts, *it, Phase::Cleanup, std::nullopt, &msg) == Status::Failed &&
          tr.status == Status::Passed) {
        tr.status = Status::Failed;
        tr.message = "cleanup failed: " + msg;
      }
    }
    for (size_t i = s.resources.size(); i-- > 0;) {
      const LoadedPlugin *p = host_.find(s.resources[i].plugin);
      if (st.opened[i] && p->resource_type.test_end)
        host_.test_end(*p, st.handles[i], ts.id);
    }
    tr.duration_ms = ms_since(t0);
    if (tr.status == Status::Failed && opt_.fail_fast)
      stop_all_ = true;
    return tr;
  };

  const size_t workers = std::min<size_t>(std::max(opt_.jobs, 1u), chosen.size());
  if (workers <= 1) {
    for (const TestDef *t : chosen) {
      TestRecord tr = run_test(*t);
      std::lock_guard lock(report_mu_);
      finish_test(tr);
    }
  } else {
    // Tests run on `workers` threads. Each test's events are held until the
    // tests before it have been reported, so reporters see every test whole
    // and in the suite's order, as in a sequential run.
    std::vector<std::unique_ptr<TestEvents>> done(chosen.size());
    size_t next_report = 0;
    std::atomic<size_t> next_test{0};
    auto worker = [&] {
      for (size_t i; (i = next_test.fetch_add(1)) < chosen.size();) {
        auto events = std::make_unique<TestEvents>();
        events->def = chosen[i];
        tl_events = events.get();
        events->record = run_test(*chosen[i]);
        tl_events = nullptr;
        std::lock_guard lock(report_mu_);
        done[i] = std::move(events);
        for (; next_report < done.size() && done[next_report]; ++next_report) {
          TestEvents &ev = *done[next_report];
          if (ev.started)
            for (auto *r : reporters_)
              r->test_started(s, *ev.def);
          for (const StepRecord &rec : ev.steps)
            for (auto *r : reporters_)
              r->step_finished(rec);
          finish_test(ev.record);
          done[next_report].reset();
        }
      }
    };
    std::vector<std::thread> pool;
    for (size_t w = 0; w < workers; ++w)
      pool.emplace_back(worker);
    for (auto &th : pool)
      th.join();
  }

  // Teardown always runs once resources are open, even after failures.
  bool any_open = s.resources.empty() && !halted;
  for (bool o : st.opened)
    any_open = any_open || o;
  if (any_open) {
    for (const auto &step : s.teardown) {
      std::string msg;
      if (run_step(st, nullptr, step, Phase::Teardown, std::nullopt, &msg) == Status::Failed &&
          suite_problem.empty())
        suite_problem = "teardown failed: " + msg;
    }
  }
  for (size_t i = s.resources.size(); i-- > 0;) {
    if (st.opened[i]) {
      const LoadedPlugin *p = host_.find(s.resources[i].plugin);
      host_.close_resource(*p, st.handles[i]);
      st.opened[i] = false;
    }
  }

  srec.duration_ms = ms_since(start);
  srec.message = secrets_.mask(suite_problem);
  if (suite_skipped)
    srec.status = Status::Skipped;
  else if (!suite_problem.empty() || srec.failed > 0)
    srec.status = Status::Failed;
  if (!suite_problem.empty() && !suite_skipped)
    ++sum.suite_errors;
  sum.passed += srec.passed;
  sum.failed += srec.failed;
  sum.skipped += srec.skipped;
  for (auto *r : reporters_)
    r->suite_finished(srec);
}

} // namespace seam
