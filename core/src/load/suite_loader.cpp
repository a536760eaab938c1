// Reads a TOML suite file into the suite model, reporting every problem it
// can see without plugins: TOML syntax, unknown or mistyped keys, durations,
// paths, regexes, references. Plugin-dependent checks are in checker.cpp.
// One step is read in steps.cpp, a table's keys and typed values in
// table_keys.cpp; the state they share is loader_state.hpp.
#include "seam/core/load/suite_loader.hpp"
#include "seam/core/base/file_text.hpp"

#include "cases.hpp"
#include "loader_state.hpp"
#include "segments.hpp"

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>

namespace seam {

namespace {

const std::vector<std::string> kTopKeys{"suite", "vars", "resources", "setup", "test", "teardown"};
const std::vector<std::string> kSuiteKeys{"name", "tags", "description", "step_timeout",
                                          "requires"};
const std::vector<std::string> kTestKeys{"name",    "tags", "timeout",     "steps",
                                         "cleanup", "skip", "description", "cases"};
const std::vector<std::string> kSecretVarKeys{"env", "value", "secret", "default"};

} // namespace

namespace loading {

void Loader::load_var(Suite &suite, const std::string &name, const toml::node &n,
                      const SourceLoc &at) {
  VarDef v;
  v.name = name;
  v.loc = at;
  const toml::table *t = n.as_table();
  bool special = false;
  if (t && !t->empty()) {
    special = true;
    for (auto &&[k, val] : *t)
      special = special && std::find(kSecretVarKeys.begin(), kSecretVarKeys.end(),
                                     std::string(k.str())) != kSecretVarKeys.end();
    special = special && (t->contains("env") || t->contains("secret") || t->contains("value"));
    // A table with `env` or `secret` is a variable spec: an unknown key in
    // it is a mistake, and reading the table as a plain value would drop
    // `secret = true`. A near-miss of a spec key ({ value = ..., secert =
    // true }) is one too.
    bool spec = t->contains("env") || t->contains("secret");
    for (auto &&[k, val] : *t) {
      std::string key(k.str());
      if (std::find(kSecretVarKeys.begin(), kSecretVarKeys.end(), key) != kSecretVarKeys.end())
        continue;
      std::string near = closest(key, kSecretVarKeys);
      if (spec || (!near.empty() && t->contains("value"))) {
        error(loc(k), "unknown key '" + key + "' in variable '" + name + "'",
              near.empty() ? "a variable table has env, value, default and secret"
                           : "did you mean '" + near + "'?");
        special = true; // read the rest as a spec: no cascade of errors
      }
    }
  }
  if (!special) {
    v.value = templates_.make(n);
  } else {
    if (const toml::node *s = t->get("secret")) {
      if (!s->is_boolean())
        error(loc(*s), "'secret' must be true or false");
      else
        v.secret = s->as_boolean()->get();
    }
    if (auto env = get_string(*t, "env", "a variable"))
      v.env = *env;
    if (const toml::node *val = t->get("value")) {
      if (v.env)
        error(loc(*val), "variable '" + name + "' has both 'env' and 'value'",
              "use 'default' for a value when the environment variable is unset");
      v.value = templates_.make(*val);
      if (const toml::node *d = t->get("default"); d && !v.env)
        error(loc(*d), "'default' goes with 'env' in variable '" + name + "'",
              "'value' is always used; drop 'default', or read the value from the environment "
              "with { env = \"NAME\", default = ... }");
    } else if (const toml::node *d = t->get("default")) {
      v.value = templates_.make(*d);
      if (!v.env)
        error(loc(*d), "'default' goes with 'env' in variable '" + name + "'");
    } else if (!v.env) {
      error(at, "variable '" + name + "' needs 'env' or 'value'",
            name + " = { env = \"API_KEY\", secret = true }");
    } else {
      v.value = Template::constant(json(json::value_t::discarded)); // marks "no default"
    }
  }
  suite.vars.push_back(std::move(v));
}

// Setup, tests and teardown: appended, so that a file read in segments
// builds the same suite as one read whole.
void Loader::load_arrays(Suite &suite, const toml::table &root) {
  auto append = [](std::vector<StepDef> &to, std::vector<StepDef> from) {
    for (auto &s : from)
      to.push_back(std::move(s));
  };
  append(suite.setup, load_steps(root.get("setup"), "setup"));
  append(suite.teardown, load_steps(root.get("teardown"), "teardown"));
  if (const toml::node *tn = root.get("test")) {
    const toml::array *ta = tn->as_array();
    if (!ta) {
      error(loc(*tn), "'test' must be an array of tables ([[test]])");
    } else {
      for (auto &&e : *ta) {
        const toml::table *t = e.as_table();
        if (!t) {
          error(loc(e), "each [[test]] must be a table");
          continue;
        }
        check_keys(*t, kTestKeys, "a test");
        TestDef test;
        test.loc = loc(e);
        test.name = get_string(*t, "name", "a test").value_or("");
        if (test.name.empty()) {
          error(test.loc, "test has no name", "name = \"creates a user\"");
        } else if (!test_names_.insert(test.name).second) {
          error(loc(*t->get("name")), "two tests are named '" + test.name + "'",
                "test names identify tests in reports; make them unique");
        }
        test.tags = get_tags(*t, "a test");
        test.timeout = get_duration(*t, "timeout", "a test");
        if (const toml::node *sk = t->get("skip")) {
          if (sk->is_boolean()) {
            test.skip = sk->as_boolean()->get();
          } else if (sk->is_string()) {
            test.skip = true;
            test.skip_reason = sk->as_string()->get();
          } else {
            error(loc(*sk), "'skip' must be true or a reason string");
          }
        }
        test.steps = load_steps(t->get("steps"), "test.steps");
        test.cleanup = load_steps(t->get("cleanup"), "test.cleanup");
        if (test.steps.empty() && !t->get("steps"))
          error(test.loc, "test '" + test.name + "' has no steps",
                "add [[test.steps]] tables after [[test]]");
        if (const toml::node *cases = t->get("cases")) {
          // A data-driven test: one test per case (load/cases.hpp).
          auto at = [this](const toml::node &n) { return loc(n); };
          bool first = true;
          for (auto &one : expand_cases(test, *cases, at, file_->path, errors)) {
            // Each case's steps are steps of their own (a step's id keys its
            // plan and its events): the copies get new ids, located as the
            // steps they copy.
            if (!first)
              for (auto *steps : {&one.steps, &one.cleanup})
                for (auto &step : *steps) {
                  size_t id = next_step_id_++;
                  if (auto it = with_nodes_.find(step.id); it != with_nodes_.end())
                    with_nodes_[id] = it->second;
                  step.id = id;
                }
            first = false;
            if (!test_names_.insert(one.name).second)
              error(one.case_loc, "two tests are named '" + one.name + "'",
                    "a case's name column names its test: make them unique");
            suite.tests.push_back(std::move(one));
          }
          continue;
        }
        suite.tests.push_back(std::move(test));
      }
    }
  }
}

void Loader::load(Suite &suite, const toml::table &root) {
  check_keys(root, kTopKeys, "the suite file");
  suite.loc = {file_, 1, 1};
  if (const toml::node *s = root.get("suite")) {
    if (const toml::table *st = s->as_table()) {
      check_keys(*st, kSuiteKeys, "[suite]");
      suite.loc = loc(*s);
      if (auto n = get_string(*st, "name", "[suite]"))
        suite.name = *n;
      suite.tags = get_tags(*st, "[suite]");
      suite.step_timeout = get_duration(*st, "step_timeout", "[suite]");
      // requires = { stripe = ">=1.2, <2" }: the ranges are checked against
      // the installed plugins by check/requirements.cpp.
      if (const toml::node *r = st->get("requires")) {
        if (const toml::table *rt = r->as_table()) {
          for (auto &&[k, val] : *rt) {
            if (auto range = val.value<std::string>())
              suite.requirements.push_back({std::string(k.str()), *range, loc(val)});
            else
              error(loc(val), "'requires." + std::string(k.str()) + "' must be a version range",
                    "write requires = { " + std::string(k.str()) + " = \">=1.2, <2\" }");
          }
        } else {
          error(loc(*r), "'requires' must be a table of PLUGIN = \"version range\"",
                "write requires = { stripe = \">=1.2, <2\", http = \"*\" }");
        }
      }
    } else {
      error(loc(*s), "'suite' must be a table ([suite])");
    }
  }
  if (suite.name.empty()) {
    std::string p = file_->path;
    auto slash = p.find_last_of('/');
    suite.name = slash == std::string::npos ? p : p.substr(slash + 1);
  }
  if (const toml::node *v = root.get("vars")) {
    if (const toml::table *vt = v->as_table()) {
      for (auto &&[k, val] : *vt) {
        load_var(suite, std::string(k.str()), val, loc(k));
        templates_.add_var(std::string(k.str()));
      }
    } else {
      error(loc(*v), "'vars' must be a table ([vars])");
    }
  }
  if (const toml::node *r = root.get("resources")) {
    if (const toml::table *rt = r->as_table()) {
      for (auto &&[k, val] : *rt) {
        ResourceDef d;
        d.name = std::string(k.str());
        d.loc = loc(k);
        const toml::table *t = val.as_table();
        if (!t) {
          error(loc(val), "resource '" + d.name + "' must be a table ([resources." + d.name + "])");
          continue;
        }
        if (auto p = get_string(*t, "plugin", "a resource")) {
          d.plugin = *p;
          d.plugin_loc = loc(*t->get("plugin"));
        } else if (!t->get("plugin")) {
          error(loc(val), "resource '" + d.name + "' has no 'plugin'",
                "name the plugin that provides it, e.g. plugin = \"sql\"");
        }
        if (auto k = get_string(*t, "kind", "a resource")) {
          d.kind = *k;
          d.kind_loc = loc(*t->get("kind"));
        }
        std::vector<std::pair<std::string, Template>> members;
        for (auto &&[ck, cv] : *t)
          if (ck.str() != "plugin" && ck.str() != "kind")
            members.emplace_back(std::string(ck.str()), templates_.make(cv));
        d.config = Template::object(std::move(members));
        resource_nodes_[d.name] = t;
        suite.resources.push_back(std::move(d));
      }
    } else {
      error(loc(*r), "'resources' must be a table of [resources.NAME] tables");
    }
  }
  load_arrays(suite, root);
}

} // namespace loading

namespace {

// Follows a schema error's path down the TOML tree to the closest node.
SourceLoc locate_in(const loading::Loader &l, const toml::node *n,
                    const std::vector<std::variant<std::string, size_t>> &path) {
  SourceLoc best = l.loc(*n);
  for (auto &seg : path) {
    const toml::node *next = nullptr;
    if (const auto *k = std::get_if<std::string>(&seg)) {
      if (const toml::table *t = n->as_table()) {
        if (auto it = t->find(*k); it != t->end()) {
          best = l.loc(it->first);
          next = &it->second;
          // Point at the value, unless it is a table (then at the key).
          if (!next->is_table())
            best = l.loc(*next);
        }
      }
    } else if (const toml::array *a = n->as_array()) {
      size_t i = std::get<size_t>(seg);
      if (i < a->size()) {
        next = a->get(i);
        best = l.loc(*next);
      }
    }
    if (!next)
      break;
    n = next;
  }
  return best;
}

} // namespace

struct LoadedSuite::Impl {
  const SourceFile *file;
  toml::table root;
  loading::Loader loader;
  Impl(const SourceFile *f) : file(f), loader(f) {}
};

LoadedSuite::LoadedSuite(std::string path, std::string text, const StepHook &on_step) {
  const SourceFile *file = SourceFile::intern(std::move(path), std::move(text));
  impl_ = std::make_unique<Impl>(file);
  suite.file = file;
  std::vector<Segment> segs = split_segments(file->text);

  auto parse = [file](Segment seg) {
    refuse_parser_traps(file, seg);
    std::string_view doc = std::string_view(file->text).substr(seg.begin, seg.end - seg.begin);
    try {
      // Without a source path: locations come from `file`, and TOML++ would
      // otherwise share the path with every node it makes (a reference count
      // per node to take and to drop).
      return toml::parse(doc);
    } catch (const toml::parse_error &e) {
      SourceLoc l{file, static_cast<uint32_t>(e.source().begin.line) + seg.first_line,
                  static_cast<uint32_t>(e.source().begin.column)};
      std::string msg(e.description());
      std::string hint = "see https://toml.io for the syntax";
      // toml++ reports the newline that ends an unclosed string as a control
      // character; say what the user did instead.
      if (msg.find("unescaped control characters") != std::string::npos &&
          l.col > utf8_length(file->line(l.line))) {
        msg = "unterminated string: the line ends before its closing quote";
        hint = "close the string on the same line, or write a multi-line string as \"\"\"...\"\"\"";
      }
      throw SuiteErrors({{l, "invalid TOML: " + msg, hint}});
    }
  };
  // Steps compiled from the segment just read, for the hook.
  auto hook_new_steps = [&](size_t setup_from, size_t tests_from, size_t teardown_from) {
    if (!on_step)
      return;
    for (size_t i = setup_from; i < suite.setup.size(); ++i)
      on_step(*this, suite.setup[i]);
    for (size_t t = tests_from; t < suite.tests.size(); ++t) {
      for (auto &st : suite.tests[t].steps)
        on_step(*this, st);
      for (auto &st : suite.tests[t].cleanup)
        on_step(*this, st);
    }
    for (size_t i = teardown_from; i < suite.teardown.size(); ++i)
      on_step(*this, suite.teardown[i]);
  };

  // The first segment holds [suite], [vars] and [resources]: its tree is
  // kept until release_source_tree(), for locating resource problems.
  impl_->root = parse(segs[0]);
  impl_->loader.load(suite, impl_->root);
  hook_new_steps(0, 0, 0);
  if (segs.size() > 1) {
    parse_ahead(segs, parse, [&](size_t i, toml::table &root) {
      impl_->loader.at_.line_offset = segs[i].first_line;
      size_t setup_from = suite.setup.size(), tests_from = suite.tests.size(),
             teardown_from = suite.teardown.size();
      impl_->loader.check_keys(root, kTopKeys, "the suite file");
      impl_->loader.load_arrays(suite, root);
      hook_new_steps(setup_from, tests_from, teardown_from);
      impl_->loader.with_nodes_.clear();
    });
  }
  errors = std::move(impl_->loader.errors);
}

LoadedSuite::~LoadedSuite() = default;

SourceLoc
LoadedSuite::locate_with(const StepDef &s,
                         const std::vector<std::variant<std::string, size_t>> &path) const {
  auto it = impl_->loader.with_nodes_.find(s.id);
  if (it == impl_->loader.with_nodes_.end())
    return s.loc;
  return locate_in(impl_->loader, it->second, path);
}

SourceLoc
LoadedSuite::locate_resource(const ResourceDef &r,
                             const std::vector<std::variant<std::string, size_t>> &path) const {
  auto it = impl_->loader.resource_nodes_.find(r.name);
  if (it == impl_->loader.resource_nodes_.end())
    return r.loc;
  return locate_in(impl_->loader, it->second, path);
}

void LoadedSuite::release_source_tree() {
  impl_->loader.with_nodes_.clear();
  impl_->loader.resource_nodes_.clear();
  impl_->root = toml::table();
}

static std::string read_file(const std::string &path) {
  std::optional<std::string> text = read_file_text(path);
  if (!text)
    throw SuiteErrors({{SourceLoc{SourceFile::intern(path, ""), 0, 0},
                        "cannot read suite file: " + std::string(std::strerror(errno)), ""}});
  return std::move(*text);
}

std::unique_ptr<LoadedSuite> LoadedSuite::from_file(const std::string &path,
                                                    const StepHook &on_step) {
  return std::make_unique<LoadedSuite>(path, read_file(path), on_step);
}

Suite load_suite_text(const std::string &path, std::string text) {
  LoadedSuite l(path, std::move(text));
  if (!l.errors.empty())
    throw SuiteErrors(std::move(l.errors));
  return std::move(l.suite);
}

Suite load_suite(const std::string &path) { return load_suite_text(path, read_file(path)); }

} // namespace seam
