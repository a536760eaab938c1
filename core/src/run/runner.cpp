#include "seam/core/run/runner.hpp"

#include "seam/core/check/schema.hpp"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <random>
#include <set>
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
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
  return out;
}

namespace {

// A failed open or test_begin as reports show it: an unreachable service says
// "unavailable:" (what --skip-unavailable skips).
std::string failure_text(const CallResult &r) {
  return r.status == CallStatus::Unavailable ? "unavailable: " + r.error : r.error;
}

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
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
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
  std::mutex mu; // the test's thread adds events; the watchdog may read them
  const TestDef *def = nullptr;
  bool started = false;
  std::vector<StepRecord> steps;
  TestRecord record;
};

thread_local Runner::TestEvents *Runner::tl_events = nullptr;

// Each thread that calls plugins has a slot with the deadline of its call in
// progress, so that the watchdog sees a plugin that ignores its deadline.
struct Runner::CallSlot {
  std::atomic<int64_t> deadline_ns{0}; // steady clock; 0: no call in progress
  std::atomic<const StepDef *> step{nullptr};
};

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

static uint64_t next_serial() {
  static std::atomic<uint64_t> last{0};
  return ++last;
}

Runner::Runner(PluginHost &host, Secrets &secrets, RunOptions options,
               std::vector<Reporter *> reporters, Interrupts &interrupts)
    : host_(host), secrets_(secrets), opt_(std::move(options)), reporters_(std::move(reporters)),
      interrupts_(interrupts), serial_(next_serial()) {
  for (auto *r : reporters_)
    want_io_ = want_io_ || r->wants_step_io();
  run_id_ = random_hex(10);
  started_at_ = iso_now();
}

Runner::~Runner() = default;

// An environment variable the run needs and does not have; `what` says
// where it is needed ("" for a step or a resource).
static Diagnostic unset_env(const std::string &name, const SourceLoc &loc, const std::string &what,
                            const std::string &hint) {
  return {loc, "environment variable " + name + " is not set" + what, hint};
}

// A --var value for a variable the suite declares with a type: the value
// as that type, nullopt to keep it as text, or *why set when it does not fit.
static std::optional<json> coerce_cli_value(const std::string &text, const json &declared,
                                            std::string *why) {
  if (declared.is_boolean()) {
    if (text == "true" || text == "false")
      return json(text == "true");
    *why = "expected true or false";
    return std::nullopt;
  }
  if (declared.is_number()) {
    json parsed = json::parse(text, nullptr, false);
    if (!parsed.is_number() || (declared.is_number_integer() && !parsed.is_number_integer())) {
      *why = declared.is_number_integer() ? "expected a whole number" : "expected a number";
      return std::nullopt;
    }
    return parsed;
  }
  return std::nullopt;
}

void Runner::prepare(std::vector<Suite *> suites, std::vector<Diagnostic> &errors) {
  for (Suite *s : suites) {
    auto st = std::make_unique<SuiteState>();
    st->suite = s;
    Vars vars(*this, *st, nullptr);
    for (const auto &v : s->vars) {
      json value;
      if (auto cli = opt_.vars.find(v.name); cli != opt_.vars.end()) {
        // --var gives text; a variable the suite declares as a number or a
        // boolean takes the value as one, so that typed inputs accept it.
        const json *declared = v.value.is_constant() ? &v.value.constant_value() : nullptr;
        std::string why;
        auto typed = declared ? coerce_cli_value(cli->second, *declared, &why) : std::nullopt;
        if (!why.empty()) {
          errors.push_back({v.loc, "--var " + v.name + "=" + cli->second + ": " + why,
                            "the suite declares '" + v.name + "' as " + brief(*declared)});
          continue;
        }
        value = typed ? *typed : json(cli->second);
      } else if (v.env) {
        const char *e = std::getenv(v.env->c_str());
        if (e) {
          value = e;
        } else if (v.value.is_constant() && v.value.constant_value().is_discarded()) {
          errors.push_back(unset_env(*v.env, v.loc, " (variable '" + v.name + "')",
                                     "export " + *v.env + "=..., pass --var " + v.name +
                                         "=..., or give a default"));
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
            errors.push_back(unset_env(ref.path.text(), ref.loc, " (in variable '" + v.name + "')",
                                       "export " + ref.path.text() + "=..., or give a default: ${" +
                                           ref.text + ":-default}"));
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
    // ${env.NAME} without a default in a step or a resource: known before
    // anything runs (the environment is the run's), so refused now.
    std::set<std::string> reported;
    auto check_env = [&](const Template &t) {
      t.for_each_ref([&](const Ref &r) {
        if (r.root != "env" || r.fallback || r.path.segments().size() != 1)
          return;
        const std::string &name = r.path.text();
        if (std::getenv(name.c_str()) || !reported.insert(name + "@" + r.loc.str()).second)
          return;
        errors.push_back(
            unset_env(name, r.loc, "",
                      "export " + name + "=..., or give a default: ${" + r.text + ":-default}"));
      });
    };
    auto check_steps = [&](const std::vector<StepDef> &steps) {
      for (const auto &step : steps)
        check_env(step.with);
    };
    for (const auto &r : s->resources)
      check_env(r.config);
    check_steps(s->setup);
    for (const auto &t : s->tests) {
      check_steps(t.steps);
      check_steps(t.cleanup);
    }
    check_steps(s->teardown);
    suites_.push_back(std::move(st));
  }
  // --tag or --filter that select nothing are almost surely a typo: a run
  // of zero tests would pass in CI without testing anything.
  if (!opt_.tags.empty() || opt_.filter) {
    size_t chosen = 0;
    std::set<std::string> tags;
    for (Suite *s : suites)
      for (const auto &t : s->tests) {
        std::string why;
        chosen += selected(*s, t, &why);
        tags.insert(s->tags.begin(), s->tags.end());
        tags.insert(t.tags.begin(), t.tags.end());
      }
    if (chosen == 0) {
      std::string what, known;
      for (const auto &t : opt_.tags)
        what += (what.empty() ? "--tag " : ", --tag ") + t;
      if (opt_.filter)
        what += (what.empty() ? "" : " and ") + std::string("--filter '") + opt_.filter->pattern() +
                "'";
      for (const auto &t : tags)
        known += (known.empty() ? "" : ", ") + t;
      errors.push_back(
          {{},
           "no test matches " + what,
           tags.empty() ? "the suites' tests carry no tags" : "tags in these suites: " + known});
    }
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
  run_start_ = Clock::now();
  RunInfo info{run_id_, started_at_, suites_.size(), 0};
  for (const auto &st : suites_)
    for (const auto &t : st->suite->tests) {
      std::string why;
      info.tests += selected(*st->suite, t, &why) ? 1 : 0;
    }
  for (auto *r : reporters_)
    r->run_started(info);
  std::thread watchdog;
  if (opt_.watchdog)
    watchdog = std::thread([this] { watch(); });
  RunSummary sum;
  for (auto &st : suites_)
    run_suite(*st, sum);
  sum.duration_ms = ms_since(run_start_);
  sum.interrupted = interrupts_.stop.load();
  {
    std::lock_guard lock(report_mu_);
    finishing_ = true; // from here on the watchdog leaves the reports alone
    for (auto *r : reporters_) {
      std::string err;
      if (!r->run_finished(sum, &err) && report_errors)
        report_errors->push_back(secrets_.mask(err));
    }
  }
  if (watchdog.joinable()) {
    {
      std::lock_guard lock(watch_mu_);
      watch_done_ = true;
    }
    watch_cv_.notify_all();
    watchdog.join();
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
    std::lock_guard lock(tl_events->mu);
    tl_events->steps.push_back(std::move(rec));
    return;
  }
  std::lock_guard lock(report_mu_);
  for (auto *r : reporters_)
    r->step_finished(rec);
}

void Runner::emit_test_started(const Suite &s, const TestDef &t) {
  if (tl_events) {
    {
      std::lock_guard lock(tl_events->mu);
      tl_events->started = true;
    }
    std::lock_guard lock(report_mu_);
    for (auto *r : reporters_)
      r->test_running(s, t);
    return;
  }
  std::lock_guard lock(report_mu_);
  for (auto *r : reporters_) {
    r->test_running(s, t);
    r->test_started(s, t);
  }
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
  rec.start_ms = ms_between(run_start_, start);
  Vars vars(*this, st, test);
  bool cleanup = phase == Phase::Cleanup || phase == Phase::Teardown;
  const std::atomic<bool> *interrupt = cleanup ? &interrupts_.abort : &interrupts_.stop;
  Micros timeout = step.timeout             ? *step.timeout
                   : st.suite->step_timeout ? *st.suite->step_timeout
                                            : opt_.default_step_timeout;
  void *resource = step.resource >= 0 ? st.handles[static_cast<size_t>(step.resource)] : nullptr;

  // A cleanup step that needs a value its test never saved is skipped.
  auto skip_unset = [&](const UndefinedReference &u) {
    rec.status = Status::Skipped;
    rec.message =
        "skipped: '" + u.ref().text + "' was never set (the step that saves it did not run)";
    rec.duration_ms = ms_since(start);
    emit_step(rec);
    return Status::Skipped;
  };
  const bool secret_inputs = step.target->secret_inputs;
  if (secret_inputs && !step.input_text.empty())
    add_secrets(step.target->input_schema, step.with.constant_value());
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
    if (step.input_text.empty() && !want_io_ && !step.run_check_whole && step.run_checks.empty() &&
        !secret_inputs) {
      // The common case: straight to the JSON text the plugin reads.
      try {
        step.with.render_json(vars, rendered);
      } catch (const UndefinedReference &u) {
        if (cleanup)
          return skip_unset(u);
        rec.message = std::string(u.what()) + " at " + u.ref().loc.str();
        break;
      }
      input = rendered;
    } else if (step.input_text.empty()) {
      try {
        input_value = step.with.render(vars);
      } catch (const UndefinedReference &u) {
        if (cleanup)
          return skip_unset(u);
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
    CallSlot &slot = call_slot();
    slot.step.store(&step);
    slot.deadline_ns.store(deadline.time_since_epoch().count(), std::memory_order_relaxed);
    CallResult res = host_.call(*step.target, resource, input, limits);
    slot.deadline_ns.store(0, std::memory_order_relaxed);
    // A step that cannot reach its dependency fails (only a resource's open
    // may skip a suite); its message, also what expect.error sees, says so.
    if (res.status == CallStatus::Unavailable)
      res.error = "dependency unavailable: " + res.error;
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
      if (!res.ok())
        rec.message += " (" + res.error + ")";
      if (step.expect_error || step.expect_any_error) {
        // A timeout is an error like any other for error-path tests.
        res.status = CallStatus::Error;
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
      if (res.ok()) {
        rec.message = "expected the step to fail, but it succeeded";
        if (want_io_)
          rec.output = json::parse(res.output, nullptr, false);
      } else {
        json err = res.error;
        std::optional<Mismatch> mm;
        if (step.expect_error)
          mm = evaluate(*step.expect_error, "error", &err, vars, &secrets_);
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
    } else if (!res.ok()) {
      rec.message = res.error;
    } else {
      // "{}" is what most steps without outputs return: skip the parser.
      json out = res.output == "{}" ? json::object() : json::parse(res.output, nullptr, false);
      if (out.is_discarded()) {
        rec.message = "plugin returned output that is not JSON: " +
                      brief(secrets_.mask_json(json(res.output)));
      } else {
        std::optional<Mismatch> mm;
        for (const auto &e : step.expect) {
          try {
            mm = evaluate(e, out, vars, &secrets_);
          } catch (const UndefinedReference &u) {
            mm = Mismatch{e.path_text(), "", json(), json(), std::string(u.what())};
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
              rec.message =
                  "save '" + sv.var + "': '" + sv.path.text() + "' is not in the step's output";
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
      std::this_thread::sleep_for(
          std::min<Clock::duration>(next - Clock::now(), std::chrono::milliseconds(20)));
    if (interrupt->load()) {
      rec.message = "interrupted";
      break;
    }
    wait = std::chrono::duration_cast<Micros>(wait * step.retry.backoff);
  }
  if (status == Status::Failed && step.retry.attempts > 1 && rec.message != "interrupted")
    rec.message += " (after " + std::to_string(rec.attempts) + " attempt" +
                   (rec.attempts == 1 ? "" : "s") + ")";
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
  srec.start_ms = ms_between(run_start_, start);
  srec.file = s.file->path;
  srec.name = s.name;
  srec.started_at = iso_now();
  std::string suite_problem;
  bool suite_skipped = false;

  auto finish_test = [&](TestRecord &tr) { finish_test_locked(srec, tr); };
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
    const ResourceKind &kind = *rd.kind_info;
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
      suite_problem = "resource '" + rd.name + "': " + u.what();
      break;
    }
    CallLimits limits{Clock::now() + opt_.default_step_timeout, &interrupts_.stop};
    void *handle = nullptr;
    auto t0 = Clock::now();
    CallResult res = host_.open_resource(kind, rd.name, config, limits, &handle);
    StepRecord rec;
    rec.suite_file = s.file->path;
    rec.phase = Phase::Setup;
    rec.name = "open resource " + rd.name;
    rec.use = rd.plugin;
    rec.location = rd.loc.str();
    rec.start_ms = ms_between(run_start_, t0);
    rec.expected = rec.actual = json(json::value_t::discarded);
    rec.logs = std::move(res.logs);
    if (want_io_)
      rec.input = json::parse(config, nullptr, false);
    if (!res.ok()) {
      std::string why = failure_text(res);
      suite_problem =
          "resource '" + rd.name + "' (" + rd.loc.str() + ") could not be opened: " + why;
      suite_skipped = res.status == CallStatus::Unavailable && opt_.skip_unavailable;
      rec.status = suite_skipped ? Status::Skipped : Status::Failed;
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
  }

  bool setup_ok = suite_problem.empty();
  if (setup_ok && !halted) {
    for (const auto &step : s.setup) {
      std::string msg;
      if (interrupts_.stop.load() ||
          run_step(st, nullptr, step, Phase::Setup, std::nullopt, &msg) != Status::Passed) {
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
  {
    std::lock_guard lock(report_mu_);
    progress_ = Progress{};
    progress_.suite = &s;
    progress_.srec = &srec;
    progress_.sum = &sum;
    progress_.chosen = chosen;
    progress_.done.resize(chosen.size());
    for (const TestDef *t : chosen)
      progress_.base.push_back(base_record(*t));
  }

  // One test, start to end, on the calling thread: its per-test hooks,
  // steps and cleanup all run there (plugins may keep per-thread state).
  auto run_test = [&](size_t index) {
    const TestDef &t = *chosen[index];
    TestRecord tr = progress_.base[index]; // written before any test runs
    if (!setup_ok || t.skip || stop_all_.load() || interrupts_.stop.load()) {
      tr.status = Status::Skipped;
      tr.message = !setup_ok          ? (suite_skipped ? "skipped: " : "not run: ") + suite_problem
                   : t.skip           ? (t.skip_reason.empty() ? "skipped" : t.skip_reason)
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
    tr.start_ms = ms_between(run_start_, t0);
    std::optional<Clock::time_point> deadline;
    if (t.timeout)
      deadline = t0 + *t.timeout;
    tr.status = Status::Passed;
    // Per-test isolation hooks of the suite's resources.
    for (size_t i = 0; i < s.resources.size(); ++i) {
      const ResourceKind &kind = *s.resources[i].kind_info;
      if (!st.opened[i] || !kind.type.test_begin)
        continue;
      CallLimits limits{Clock::now() + opt_.default_step_timeout, &interrupts_.stop};
      CallResult res = host_.test_begin(kind, st.handles[i], ts.id, limits);
      if (!res.ok() && tr.status == Status::Passed) {
        tr.status = Status::Failed;
        tr.message =
            "resource '" + s.resources[i].name + "' could not start the test: " + failure_text(res);
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
      const ResourceKind &kind = *s.resources[i].kind_info;
      if (st.opened[i] && kind.type.test_end)
        host_.test_end(kind, st.handles[i], ts.id);
    }
    tr.duration_ms = ms_since(t0);
    if (tr.status == Status::Failed && opt_.fail_fast)
      stop_all_ = true;
    return tr;
  };

  const size_t workers = std::min<size_t>(std::max(opt_.jobs, 1u), chosen.size());
  if (workers <= 1) {
    for (size_t i = 0; i < chosen.size(); ++i) {
      {
        std::lock_guard lock(report_mu_);
        progress_.running[i] = nullptr; // its events go straight out
      }
      TestRecord tr = run_test(i);
      std::lock_guard lock(report_mu_);
      for (auto *r : reporters_)
        r->test_ran(s, *chosen[i], tr.status);
      progress_.running.erase(i);
      progress_.next_report = i + 1;
      finish_test(tr);
    }
  } else {
    // Tests run on `workers` threads. Each test's events are held until the
    // tests before it have been reported, so reporters see every test whole
    // and in the suite's order, as in a sequential run.
    std::atomic<size_t> next_test{0};
    auto worker = [&] {
      for (size_t i; (i = next_test.fetch_add(1)) < chosen.size();) {
        auto events = std::make_unique<TestEvents>();
        events->def = chosen[i];
        {
          std::lock_guard lock(report_mu_);
          progress_.running[i] = events.get();
        }
        tl_events = events.get();
        TestRecord record = run_test(i);
        tl_events = nullptr;
        std::lock_guard lock(report_mu_);
        for (auto *r : reporters_)
          r->test_ran(s, *chosen[i], record.status);
        events->record = std::move(record);
        progress_.running.erase(i);
        progress_.done[i] = std::move(events);
        deliver_in_order_locked();
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
      host_.close_resource(*s.resources[i].kind_info, st.handles[i]);
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
  std::lock_guard lock(report_mu_);
  progress_ = Progress{};
  for (auto *r : reporters_)
    r->suite_finished(srec);
}

void Runner::finish_test_locked(SuiteRecord &srec, TestRecord &tr) {
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
}

void Runner::deliver_locked(TestEvents &ev) {
  std::lock_guard events_lock(ev.mu);
  if (ev.started)
    for (auto *r : reporters_)
      r->test_started(*progress_.suite, *ev.def);
  for (const StepRecord &rec : ev.steps)
    for (auto *r : reporters_)
      r->step_finished(rec);
  ev.steps.clear();
  finish_test_locked(*progress_.srec, ev.record);
}

void Runner::deliver_in_order_locked() {
  auto &p = progress_;
  for (; p.next_report < p.done.size() && p.done[p.next_report]; ++p.next_report) {
    deliver_locked(*p.done[p.next_report]);
    p.done[p.next_report].reset();
  }
}

// ---- finishing a run that cannot finish itself ------------------------------

Runner::CallSlot &Runner::call_slot() {
  // Keyed by the runner's serial, not its address: a runner made after this
  // one is destroyed may get the same address, and must not get its slots.
  thread_local std::pair<uint64_t, CallSlot *> mine{0, nullptr};
  if (mine.first != serial_) {
    std::lock_guard lock(slots_mu_);
    slots_.push_back(std::make_unique<CallSlot>());
    mine = {serial_, slots_.back().get()};
  }
  return *mine.second;
}

void Runner::watch() {
  using namespace std::chrono;
  std::optional<Clock::time_point> abort_seen;
  std::unique_lock lock(watch_mu_);
  while (!watch_done_) {
    watch_cv_.wait_for(lock, milliseconds(50));
    if (watch_done_)
      break;
    auto now = Clock::now();
    if (interrupts_.abort.load()) {
      // The second Ctrl-C or a SIGTERM: cooperative plugins stop at once and
      // the run ends normally; if it has not after the grace, end it here.
      if (!abort_seen)
        abort_seen = now;
      else if (now - *abort_seen >= opt_.abort_grace)
        emergency_finish("interrupted: the run did not stop within " +
                             format_duration(duration_cast<Micros>(opt_.abort_grace)) +
                             " of the interrupt (a plugin ignores cancellation)",
                         130);
    }
    std::lock_guard slots_lock(slots_mu_);
    for (const auto &slot : slots_) {
      int64_t d = slot->deadline_ns.load(std::memory_order_relaxed);
      if (d == 0 || now.time_since_epoch() < nanoseconds(d) + opt_.stuck_grace)
        continue;
      const StepDef *step = slot->step.load();
      std::string what = step
                             ? "step '" + step->name + "' [" + step->use + "] at " + step->loc.str()
                             : "a plugin call";
      emergency_finish(what + " did not return " +
                           format_duration(duration_cast<Micros>(opt_.stuck_grace)) +
                           " after its deadline: its plugin ignores cancellation, so the run "
                           "ends here (cleanup and teardown did not run)",
                       1);
    }
  }
}

void Runner::emergency_finish(const std::string &reason, int exit_code) {
  std::lock_guard lock(report_mu_);
  if (finishing_)
    return; // the run is writing its reports already
  finishing_ = true;
  std::string why = secrets_.mask(reason);
  std::fprintf(stderr, "error: %s\n", why.c_str());
  auto &p = progress_;
  if (p.suite) {
    // Every test of the suite is reported, in order: finished ones as they
    // ended, running ones as failed with the reason, the rest as not run.
    for (size_t i = p.next_report; i < p.chosen.size(); ++i) {
      if (p.done[i]) {
        deliver_locked(*p.done[i]);
        continue;
      }
      auto running = p.running.find(i);
      if (running != p.running.end() && running->second) {
        TestEvents &ev = *running->second;
        {
          std::lock_guard events_lock(ev.mu);
          ev.record = p.base[i];
          ev.record.status = Status::Failed;
          ev.record.message = why;
        }
        deliver_locked(ev);
        continue;
      }
      TestRecord tr = p.base[i];
      tr.status = running != p.running.end() ? Status::Failed : Status::Skipped;
      tr.message = running != p.running.end() ? why : "not run: " + why;
      finish_test_locked(*p.srec, tr);
    }
    p.srec->status = Status::Failed;
    p.srec->message = why;
    p.sum->passed += p.srec->passed;
    p.sum->failed += p.srec->failed;
    p.sum->skipped += p.srec->skipped;
    ++p.sum->suite_errors;
    for (auto *r : reporters_)
      r->suite_finished(*p.srec);
  }
  RunSummary sum = p.sum ? *p.sum : RunSummary{};
  sum.interrupted = exit_code == 130;
  sum.duration_ms = ms_since(run_start_);
  bool reports_ok = true;
  for (auto *r : reporters_) {
    std::string err;
    if (!r->run_finished(sum, &err)) {
      std::fprintf(stderr, "error: %s\n", secrets_.mask(err).c_str());
      reports_ok = false;
    }
  }
  std::fflush(stdout);
  std::fflush(stderr);
  // Threads stuck in plugin code cannot be joined: leave without them.
  std::_Exit(reports_ok ? exit_code : 4);
}

} // namespace seam
