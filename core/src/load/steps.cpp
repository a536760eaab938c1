// Reads one step of a suite file into a StepDef: `use` as PLUGIN.STEP, its
// inputs, expect tables (matchers, shared between equal tables), saves,
// timeout and retry.
#include "loader_state.hpp"

namespace seam::loading {

namespace {

const std::vector<std::string> kStepKeys{"name", "use",     "on",    "with",       "expect",
                                         "save", "timeout", "retry", "description"};
const std::vector<std::string> kRetryKeys{"attempts", "interval", "backoff"};

} // namespace

// Takes the compiled copy of an equal table when there is one.
bool Loader::share_expect(StepDef &s, const toml::table &t) {
  expect_key_.clear();
  expect_errors_before_ = errors.size();
  expect_shareable_ = !t.contains("error") && value_key(t, expect_key_, 0);
  if (!expect_shareable_)
    return false;
  auto it = expect_pool_.find(expect_key_);
  if (it == expect_pool_.end())
    return false;
  s.expect = it->second;
  return true;
}

void Loader::remember_expect(const StepDef &s) {
  if (expect_shareable_ && errors.size() == expect_errors_before_ && expect_pool_.size() < 100000)
    expect_pool_.emplace(expect_key_, s.expect);
}

// expect tables: operator tables are matchers; other tables are walked so
// that `json = { id = 1 }` and dotted keys `json.id = 1` check json.id.
void Loader::add_expectations(std::vector<Expectation> &out, const toml::node &n,
                              const std::string &prefix, const SourceLoc &at) {
  const toml::table *t = n.as_table();
  bool walk = false;
  if (t && !t->empty()) {
    bool any_op = false, all_op = true;
    for (auto &&[k, v] : *t) {
      bool op = parse_op(k.str()).has_value();
      any_op = any_op || op;
      all_op = all_op && op;
    }
    // A lone key close to an operator name stays a matcher, so its typo is reported.
    bool typo = t->size() == 1 && !any_op && !op_typo(t->begin()->first.str()).empty();
    walk = !all_op && !any_op && !typo;
  }
  if (walk) {
    for (auto &&[k, v] : *t) {
      std::string key(k.str());
      std::string path = prefix.empty() ? key : prefix + "." + key;
      add_expectations(out, v, path, loc(k));
    }
    return;
  }
  Expectation e;
  e.loc = at;
  std::string err;
  size_t col = 0;
  auto p = JsonPath::parse(prefix, &err, &col);
  if (!p) {
    error(at, "bad path '" + prefix + "' in expect: " + err,
          "paths look like json.items[0].id or headers.content-type");
    return;
  }
  e.path = std::move(*p);
  e.matcher = Matcher::compile(templates_.make(n), loc(n), errors);
  out.push_back(std::move(e));
}

StepDef Loader::load_step(const toml::node &node, const std::string &what) {
  StepDef s;
  s.id = next_step_id_++;
  s.loc = loc(node);
  const toml::table *t = node.as_table();
  if (!t) {
    error(loc(node), what + " must be a table, not " + type_name(node));
    return s;
  }
  check_keys(*t, kStepKeys, "a step");
  auto use = get_string(*t, "use", "a step");
  if (!use) {
    if (!t->get("use"))
      error(s.loc, "step has no 'use'", "name the step to run, e.g. use = \"http.request\"");
  } else {
    s.use = *use;
    s.use_loc = loc(*t->get("use"));
    auto dot = s.use.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == s.use.size()) {
      error(s.use_loc, "'use' must name a step as PLUGIN.STEP, not '" + s.use + "'",
            "for example use = \"sql.query\"");
    } else {
      s.dot = static_cast<uint32_t>(dot);
    }
  }
  s.name = get_string(*t, "name", "a step").value_or(s.use);
  if (auto on = get_string(*t, "on", "a step")) {
    s.on = *on;
    s.on_loc = loc(*t->get("on"));
  }
  if (const toml::node *w = t->get("with")) {
    s.with_loc = loc(*w);
    if (!w->is_table())
      error(loc(*w), "'with' must be a table of inputs, not " + type_name(*w),
            "with = { url = \"...\" }");
    else
      s.with = templates_.make(*w);
    with_nodes_[s.id] = w;
  }
  if (const toml::node *e = t->get("expect")) {
    const toml::table *et = e->as_table();
    if (!et) {
      error(loc(*e), "'expect' must be a table of PATH = value-or-matcher, not " + type_name(*e),
            "expect = { status = 200, \"json.id\" = { matches = \"^usr_\" } }");
    } else if (!share_expect(s, *et)) {
      std::vector<Expectation> list;
      for (auto &&[k, v] : *et) {
        std::string key(k.str());
        if (key == "error") {
          if (v.is_boolean()) {
            s.expect_any_error = v.as_boolean()->get();
            if (!s.expect_any_error)
              error(loc(v), "expect.error = false is the default; leave it out");
          } else {
            s.expect_error = std::make_shared<const Matcher>(
                Matcher::compile(templates_.make(v), loc(v), errors));
          }
          continue;
        }
        add_expectations(list, v, key, loc(k));
      }
      s.expect = Expectations(std::make_shared<const std::vector<Expectation>>(std::move(list)));
      remember_expect(s);
    }
  }
  if (const toml::node *sv = t->get("save")) {
    const toml::table *st = sv->as_table();
    if (!st) {
      error(loc(*sv), "'save' must be a table of NAME = \"PATH\"",
            "save = { user_id = \"json.id\" }");
    } else {
      for (auto &&[k, v] : *st) {
        SaveDef d;
        d.var = std::string(k.str());
        d.loc = loc(k);
        if (!v.is_string()) {
          error(loc(v),
                "save '" + d.var + "' must be a path string into the step's output, not " +
                    type_name(v),
                "save = { " + d.var + " = \"json.id\" }");
          continue;
        }
        std::string err;
        auto p = JsonPath::parse(v.as_string()->get(), &err);
        if (!p) {
          error(loc(v), "bad path '" + v.as_string()->get() + "' in save: " + err,
                "paths look like json.items[0].id");
          continue;
        }
        d.path = std::move(*p);
        s.save.push_back(std::move(d));
      }
    }
  }
  s.timeout = get_duration(*t, "timeout", "a step");
  if (const toml::node *r = t->get("retry")) {
    const toml::table *rt = r->as_table();
    if (!rt) {
      error(loc(*r), "'retry' must be a table",
            "retry = { attempts = 10, interval = \"200ms\", backoff = 1.5 }");
    } else {
      check_keys(*rt, kRetryKeys, "retry");
      if (const toml::node *a = rt->get("attempts")) {
        if (!a->is_integer() || a->as_integer()->get() < 1 || a->as_integer()->get() > 1000000)
          error(loc(*a), "retry.attempts must be a whole number from 1 to 1000000");
        else
          s.retry.attempts = static_cast<int>(a->as_integer()->get());
      }
      if (auto iv = get_duration(*rt, "interval", "retry"))
        s.retry.interval = *iv;
      if (const toml::node *b = rt->get("backoff")) {
        double v = b->is_integer()          ? static_cast<double>(b->as_integer()->get())
                   : b->is_floating_point() ? b->as_floating_point()->get()
                                            : -1;
        if (v < 1.0 || v > 100.0)
          error(loc(*b),
                "retry.backoff must be a number from 1 to 100 (the factor the interval grows by)");
        else
          s.retry.backoff = v;
      }
    }
  }
  return s;
}

std::vector<StepDef> Loader::load_steps(const toml::node *n, const std::string &what) {
  std::vector<StepDef> out;
  if (!n)
    return out;
  const toml::array *a = n->as_array();
  if (!a) {
    error(loc(*n), "'" + what + "' must be an array of tables ([[" + what + "]])");
    return out;
  }
  out.reserve(a->size());
  const std::string each = "each [[" + what + "]]";
  for (auto &&e : *a)
    out.push_back(load_step(e, each));
  return out;
}

} // namespace seam::loading
