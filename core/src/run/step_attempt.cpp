// One step, start to end: its input rendered (and checked, where the checker
// could not), the plugin called under the step's deadline, the output matched
// against `expect` and saved, retried as `retry` says, reported once.
#include "output_capture.hpp"
#include "run_state.hpp"

#include "seam/core/check/schema.hpp"

#include <seam/json_read.hpp>
#include <seam/json_write.hpp>

#include <thread>

namespace seam {

namespace {

// The text a thread renders its steps' inputs into, kept from one step to
// the next so that a step allocates none: taken at the start of a step and
// given back at its end (a step inside a step would take an empty one).
// One that grew past 64 KiB is not kept.
class InputBuffer {
public:
  InputBuffer() : text_(std::move(kept_)) { text_.clear(); }
  ~InputBuffer() {
    if (text_.capacity() <= (64u << 10))
      kept_ = std::move(text_);
  }
  InputBuffer(const InputBuffer &) = delete;
  InputBuffer &operator=(const InputBuffer &) = delete;
  std::string &text() { return text_; }

private:
  static thread_local std::string kept_;
  std::string text_;
};

thread_local std::string InputBuffer::kept_;

} // namespace

void Runner::add_secrets(const json &schema, const json &value) {
  std::vector<std::string> found;
  collect_secret_values(schema, value, found);
  // In a worker, Secrets tells the parent of each new value (worker_main).
  for (const auto &f : found)
    secrets_.add(f);
}

std::optional<std::string> Runner::render_input(const StepPlan &plan, const StepRun &run,
                                                Vars &vars, std::string &text, json &tree) {
  if (!plan.input_text.empty())
    return std::nullopt; // constant: rendered and checked at check time
  // The whole input as a tree: a reporter records it, its secrets are
  // learnt, or the checker could not check its parts one by one.
  const bool whole = want_io_ || plan.run_check_whole || plan.secret_inputs;
  if (!whole && plan.member_checks.empty()) {
    // The common case: straight to the JSON text the plugin reads.
    run.with.render_json(vars, text);
    return std::nullopt;
  }
  if (!whole) {
    // Some members are checked: only they become trees (each rendered
    // once, so that a ${uuid} checked is the one sent); the rest goes
    // straight to the text, in the order render_json writes a table.
    const auto &members = *run.with.table_members(); // member_checks is per member
    text += '{';
    for (size_t i = 0; i < members.size(); ++i) {
      const auto &[key, value] = members[i];
      append_json_key(text, key, i > 0);
      if (plan.member_checks[i] == nullptr) {
        value.render_json(vars, text);
        continue;
      }
      json v = value.render(vars);
      if (auto errs = validate_schema(*plan.member_checks[i], v, {key}); !errs.empty())
        return errs.front().message;
      append_json(text, v);
    }
    text += '}';
    return std::nullopt;
  }
  tree = run.with.render(vars);
  if (plan.secret_inputs)
    add_secrets(plan.target->input_schema, tree);
  std::vector<SchemaError> errs;
  if (plan.run_check_whole) {
    errs = validate_schema(plan.target->input_schema, tree);
  } else {
    const auto &members = *run.with.table_members();
    for (size_t i = 0; i < plan.member_checks.size() && errs.empty(); ++i) {
      const json *check = plan.member_checks[i];
      if (check == nullptr)
        continue;
      const std::string &key = members[i].first;
      if (auto it = tree.find(key); it != tree.end())
        errs = validate_schema(*check, *it, {key});
    }
  }
  if (!errs.empty())
    return errs.front().message;
  text = write_json(tree);
  return std::nullopt;
}

Status Runner::run_step(SuiteState &st, TestState *test, const StepDef &step, const StepPlan &plan,
                        Phase phase, std::optional<Clock::time_point> test_deadline,
                        std::string *message) {
  StepRecord rec;
  rec.phase = phase;
  // Who the step is: written into its record only when the record is
  // reported (always when the step did not pass; most steps of a large run
  // pass, and with no reporter that wants quiet steps nobody reads them).
  auto identify = [&] {
    rec.suite_file = st.suite->file->path;
    rec.test = test ? test->def->name : "";
    rec.name = step.name;
    rec.use = step.use;
    rec.location = step.loc.str();
  };
  rec.expected = json(json::value_t::discarded);
  rec.actual = json(json::value_t::discarded);
  auto start = Clock::now();
  rec.start_ms = ms_between(run_start_, start);
  Vars vars(*this, st, test);
  bool cleanup = phase == Phase::Cleanup || phase == Phase::Teardown;
  const std::atomic<bool> *interrupt = cleanup ? &interrupts_.abort : &interrupts_.stop;
  // What the step does, from its plan; a step the checker never saw (none
  // is, in a checked run) from itself.
  std::optional<StepRun> unchecked;
  if (!plan.bound)
    unchecked = StepRun::of(step);
  const StepRun &run = plan.bound ? plan.run : *unchecked;
  Micros timeout = run.timeout ? *run.timeout : suite_step_timeout(*st.suite);
  void *resource = plan.resource >= 0 ? st.handles[static_cast<size_t>(plan.resource)] : nullptr;

  // A cleanup step that needs a value its test never saved is skipped.
  auto skip_unset = [&](const UndefinedReference &u) {
    rec.status = Status::Skipped;
    rec.message =
        "skipped: '" + u.ref().text + "' was never set (the step that saves it did not run)";
    rec.duration_ms = ms_since(start);
    identify();
    emit_step(rec);
    return Status::Skipped;
  };
  if (plan.secret_inputs && !plan.input_text.empty())
    add_secrets(plan.target->input_schema, run.with.constant_value());
  Status status = Status::Failed;
  Micros wait = run.retry.interval;
  InputBuffer buffer;
  std::string &rendered = buffer.text();
  for (int attempt = 1; attempt <= run.retry.attempts; ++attempt) {
    rec.attempts = attempt;
    if (attempt > 1) { // what the last attempt found
      rec.failed_path.clear();
      rec.expected = json(json::value_t::discarded);
      rec.actual = json(json::value_t::discarded);
    }
    // Input: rendered once at check time when constant.
    rendered.clear();
    json input_value;
    std::optional<std::string> invalid;
    try {
      invalid = render_input(plan, run, vars, rendered, input_value);
    } catch (const UndefinedReference &u) {
      if (cleanup)
        return skip_unset(u);
      rec.message = std::string(u.what()) + " at " + u.ref().loc.str();
      break;
    }
    if (invalid) {
      rec.message = "invalid input after interpolation: " + *invalid;
      if (want_io_)
        rec.input = input_value;
      break;
    }
    std::string_view input = plan.input_text.empty() ? std::string_view(rendered) : plan.input_text;
    if (want_io_)
      rec.input = input_value.is_null() ? run.with.constant_value() : input_value;

    // A constant input took no time to make: the step's start is its call's.
    auto call_start = attempt == 1 && rendered.empty() ? start : Clock::now();
    auto deadline = call_start + timeout;
    bool test_limit = false;
    if (test_deadline && *test_deadline < deadline) {
      deadline = *test_deadline;
      test_limit = true;
    }
    CallLimits limits{deadline, interrupt, test ? &test->id : nullptr};
    CallSlot &slot = call_slot();
    slot.step.store(&step);
    slot.phase.store(static_cast<int32_t>(phase), std::memory_order_relaxed);
    slot.enter(CallKind::Step, test ? static_cast<int32_t>(test->def - st.suite->tests.data()) : -1,
               plan.resource);
    slot.deadline_ns.store(deadline.time_since_epoch().count(), std::memory_order_relaxed);
    CallResult res = host_.call(*plan.target, resource, input, limits);
    slot.deadline_ns.store(0, std::memory_order_relaxed);
    slot.leave();
    if (in_worker_)
      take_plugin_output(res.logs); // what the plugin wrote to stdout/stderr
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
                               : "timed out after " + duration_text(timeout);
      if (!res.ok())
        rec.message += " (" + res.error + ")";
      if (run.expects_error()) {
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
    } else if (run.expects_error()) {
      if (res.ok()) {
        rec.message = "expected the step to fail, but it succeeded";
        if (want_io_)
          rec.output = json::parse(res.output, nullptr, false);
      } else {
        json err = res.error;
        std::optional<Mismatch> mm;
        if (run.expect_error)
          mm = evaluate(*run.expect_error, "error", &err, vars, &secrets_);
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
      // "{}" is what most steps without outputs return: skip the parser. The
      // output of a step that expects and saves nothing, when no reporter
      // wants it, is only checked to be JSON: no tree is built. When no
      // reporter wants it, only the parts that expect and save read are.
      // "{}" is read as one shared empty object: no allocation.
      static const json kNoOutput = json::object();
      const bool read = !run.expect.empty() || !run.save.empty() || want_io_;
      const bool none = std::string_view(res.output) == std::string_view("{}");
      json out;
      bool valid = true;
      if (!none) {
        if (!read)
          valid = is_json(res.output);
        else {
          out = plan.projection && !want_io_ ? plan.projection->parse(res.output)
                                             : read_json_or_discarded(res.output);
          valid = !out.is_discarded();
        }
      }
      const json &seen = none ? kNoOutput : out;
      if (!valid) {
        rec.message = "plugin returned output that is not JSON: " +
                      brief(secrets_.mask_json(json(res.output)));
      } else {
        std::optional<Mismatch> mm;
        for (const auto &e : run.expect) {
          try {
            mm = evaluate(e, seen, vars, &secrets_);
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
          for (const auto &sv : run.save) {
            const json *v = sv.path.find(seen);
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
          rec.output = none ? json::object() : std::move(out);
      }
    }
    if (status == Status::Passed || attempt == run.retry.attempts)
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
    wait = std::chrono::duration_cast<Micros>(wait * run.retry.backoff);
  }
  if (status == Status::Failed && run.retry.attempts > 1 && rec.message != "interrupted")
    rec.message += " (after " + std::to_string(rec.attempts) + " attempt" +
                   (rec.attempts == 1 ? "" : "s") + ")";
  rec.status = status;
  rec.duration_ms = ms_since(start);
  if (reports_step(rec))
    identify();
  emit_step(rec);
  if (status != Status::Passed && message)
    *message = "step '" + rec.name + "' (" + rec.location + "): " + rec.message;
  return status;
}

} // namespace seam
