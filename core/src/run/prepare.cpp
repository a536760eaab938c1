// Before a run: each suite's [vars] evaluated (environment, --var, secrets),
// ${env.NAME} without a default checked against the run's environment, and
// --tag / --filter applied (a selection of nothing is an error).
#include "run_state.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>

namespace seam {

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

void Runner::prepare(std::vector<const SuitePlan *> plans, std::vector<Diagnostic> &errors) {
  for (const SuitePlan *plan : plans) {
    const Suite *s = plan->suite;
    auto st = std::make_unique<SuiteState>();
    st->suite = s;
    st->plan = plan;
    Vars vars(*this, *st, nullptr);
    for (size_t vi : plan->var_order) {
      const VarDef &v = s->vars[vi];
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
  // (A shard may hold none of them: --shard leaves this check to the whole.)
  if ((!opt_.tags.empty() || opt_.filter) && !opt_.shard) {
    size_t chosen = 0;
    std::set<std::string> tags;
    for (const SuitePlan *plan : plans)
      for (const auto &t : plan->suite->tests) {
        const Suite *s = plan->suite;
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
  if (opt_.shard && !opt_.shard->count(&t)) {
    *why = "in another shard";
    return false;
  }
  return true;
}

} // namespace seam
