// Binds a suite's steps and resources to the plugins that provide them: the
// plugin and step exist, a resource's kind, which resource a step works on
// (`on`, or the only one that fits), inputs against the step's schema, and
// the order resources open in (dependencies first, no cycles).
#include "checker_state.hpp"

#include "seam/core/check/schema.hpp"

#include <charconv>
#include <functional>
#include <map>

namespace seam::checking {

Diagnostic unknown_plugin_error(PluginHost &host, const std::string &name, const SourceLoc &loc) {
  auto avail = host.available();
  std::string near = closest(name, avail);
  std::string hint = near.empty() ? "" : "did you mean '" + near + "'? ";
  hint += "no seam-" + name + ".so in " +
          (host.search_path().empty() ? "(empty search path)" : join(host.search_path(), ":"));
  if (!avail.empty())
    hint += "; available plugins: " + join(avail);
  hint += "; add a directory with --plugin-path or SEAM_PLUGIN_PATH";
  return {loc, "unknown plugin '" + name + "'", hint};
}

void Checker::check_resources() {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < s_.resources.size(); ++i)
    index[s_.resources[i].name] = i;
  Scope scope = suite_scope();
  plan_.kinds.assign(s_.resources.size(), nullptr);
  std::vector<std::vector<size_t>> depends_on(s_.resources.size());
  for (size_t ri = 0; ri < s_.resources.size(); ++ri) {
    const ResourceDef &r = s_.resources[ri];
    const ResourceKind *kind = plan_.kinds[ri] = bind_resource(r);
    // References the plugin resolves itself (x-seam-local-refs) are left as
    // written, so they are neither checked nor dependencies.
    r.config.for_each_ref([&](const Ref &ref) {
      if (kind && kind->is_local(ref.root))
        return;
      check_ref(ref, scope, true);
      if (ref.root == "resources" && !ref.path.empty()) {
        if (const auto *k = std::get_if<std::string>(&ref.path.segments()[0])) {
          if (auto it = index.find(*k); it != index.end())
            depends_on[ri].push_back(it->second);
        }
      }
    });
    if (kind && !kind->config_schema.is_null()) {
      for (auto &e : validate_schema(kind->config_schema, r.config.shape()))
        error(ls_.locate_resource(r, e.path), "resource '" + r.name + "': " + e.message, e.hint);
    }
  }
  // Open order: dependencies first; a cycle cannot be opened at all.
  std::vector<int> state(s_.resources.size(), 0);
  std::vector<size_t> order;
  bool cycle = false;
  std::function<void(size_t, std::vector<std::string> &)> visit =
      [&](size_t i, std::vector<std::string> &chain) {
        if (state[i] == 2 || cycle)
          return;
        chain.push_back(s_.resources[i].name);
        if (state[i] == 1) {
          cycle = true;
          error(s_.resources[i].loc,
                "resources depend on each other in a cycle: " + join(chain, " -> "),
                "a resource can use another's attributes only if that one does not use it back");
          return;
        }
        state[i] = 1;
        for (size_t d : depends_on[i])
          visit(d, chain);
        state[i] = 2;
        chain.pop_back();
        order.push_back(i);
      };
  for (size_t i = 0; i < s_.resources.size(); ++i) {
    std::vector<std::string> chain;
    visit(i, chain);
  }
  if (!cycle)
    plan_.open_order = std::move(order);
}

// The plugin and kind that open `r`; nullptr (with the error reported) when
// there is none.
const ResourceKind *Checker::bind_resource(const ResourceDef &r) {
  if (r.plugin.empty())
    return nullptr;
  const LoadedPlugin *p = host_.find(r.plugin);
  if (!p) {
    unknown_plugin(r.plugin, r.plugin_loc);
    return nullptr;
  }
  if (!p->has_resources()) {
    error(r.plugin_loc,
          "plugin '" + r.plugin + "' provides no resources (resource '" + r.name + "')",
          "remove [resources." + r.name + "] or name a plugin that opens resources");
    return nullptr;
  }
  return bind_kind(r, *p);
}

// The kind of resource a [resources.X] table opens: its `kind`, or the
// plugin's default kind.
const ResourceKind *Checker::bind_kind(const ResourceDef &r, const LoadedPlugin &p) {
  std::vector<std::string> names;
  for (const auto &k : p.kinds)
    if (!k.name.empty())
      names.push_back(k.name);
  if (r.kind) {
    if (const ResourceKind *k = p.kind(*r.kind))
      return k;
    std::string near = closest(*r.kind, names);
    error(r.kind_loc,
          "plugin '" + p.name + "' has no resource kind '" + *r.kind + "' (resource '" + r.name +
              "')",
          (near.empty() ? "" : "did you mean '" + near + "'? ") + "plugin '" + p.name +
              "' has the kinds: " + p.kind_list() +
              (p.kind("") ? "; leave kind out for the default one" : ""));
    return nullptr;
  }
  if (const ResourceKind *k = p.default_kind())
    return k;
  error(r.loc,
        "resource '" + r.name + "' needs a kind: plugin '" + p.name + "' opens several (" +
            p.kind_list() + ") and none is the default",
        "add kind = \"" + names.front() + "\" to [resources." + r.name + "]");
  return nullptr;
}

void Checker::unknown_plugin(const std::string &name, const SourceLoc &loc) {
  errors_.push_back(unknown_plugin_error(host_, name, loc));
}

// The index of the resource `step` works on, or -1 (none, or an error reported).
int Checker::bind_resource(const StepDef &step, const LoadedPlugin &p, const StepInfo &info) {
  if (step.on) {
    const ResourceDef *r = resource(*step.on);
    if (!r) {
      std::string near = closest(*step.on, resource_names());
      error(step.on_loc, "undefined resource '" + *step.on + "'",
            near.empty()
                ? "declare it as [resources." + *step.on + "] with plugin = \"" + p.name + "\""
                : "did you mean '" + near + "'?");
      return -1;
    }
    if (r->plugin != p.name) {
      error(step.on_loc, "resource '" + r->name + "' belongs to plugin '" + r->plugin +
                             "', but step " + step.use + " is from plugin '" + p.name + "'");
      return -1;
    }
    if (info.resource == SEAM_RESOURCE_NONE) {
      error(step.on_loc, "step " + step.use + " works on no resource", "remove 'on'");
      return -1;
    }
    const ResourceKind *kind = plan_.kinds[static_cast<size_t>(r - s_.resources.data())];
    if (info.kind && kind && kind != info.kind) {
      std::vector<std::string> fit = resources_of(p, info.kind);
      error(step.on_loc,
            "step " + step.use + " works on " + p.name + " resources of kind '" +
                info.kind->label() + "', but resource '" + r->name + "' is of kind '" +
                kind->label() + "'",
            fit.empty() ? "declare one: [resources.NAME] with plugin = \"" + p.name + "\"" +
                              kind_clause(*info.kind)
                        : "did you mean on = \"" + fit.front() + "\"?");
      return -1;
    }
    return static_cast<int>(r - s_.resources.data());
  }
  if (info.resource != SEAM_RESOURCE_REQUIRED)
    return -1;
  // With several kinds, only resources of the step's kind are candidates.
  const ResourceKind *want = p.kinds.size() > 1 ? info.kind : nullptr;
  std::vector<std::string> mine = resources_of(p, want);
  std::string what = p.name + (want ? " resource of kind '" + want->label() + "'" : " resource");
  if (mine.size() == 1)
    return resource_index(mine.front());
  if (mine.empty()) {
    error(step.use_loc, "step " + step.use + " needs a " + what + ", and the suite declares none",
          "declare one: [resources.NAME] with plugin = \"" + p.name + "\"" +
              (want ? kind_clause(*want) : ""));
  } else {
    error(step.use_loc,
          "step " + step.use + " needs a resource: the suite has several " + p.name +
              (want ? " resources of kind '" + want->label() + "'" : " resources") + " (" +
              join(mine) + ")",
          "say which with on = \"" + mine.front() + "\"");
  }
  return -1;
}

// The suite's resources of plugin P (and of that kind, unless null).
std::vector<std::string> Checker::resources_of(const LoadedPlugin &p,
                                               const ResourceKind *kind) const {
  std::vector<std::string> names;
  for (size_t i = 0; i < s_.resources.size(); ++i) {
    const ResourceDef &r = s_.resources[i];
    const ResourceKind *k = plan_.kinds[i];
    if (r.plugin == p.name && (!kind || !k || k == kind))
      names.push_back(r.name);
  }
  return names;
}

int Checker::resource_index(const std::string &name) const {
  for (size_t i = 0; i < s_.resources.size(); ++i)
    if (s_.resources[i].name == name)
      return static_cast<int>(i);
  return -1;
}

std::string Checker::kind_clause(const ResourceKind &k) {
  return k.name.empty() ? " and no kind" : " and kind = \"" + k.name + "\"";
}

} // namespace seam::checking

namespace seam {

using checking::join;
using checking::known_constant;
using checking::unknown_plugin_error;

// Appends a text that equal shapes share and different ones do not: type
// tags and lengths keep 1 and 1.0, "1" and 1, or a discarded part (not known
// before the run) and any value apart. Cheaper than dump(), which the memo
// of bind_step would pay on every step.
static void shape_key(const json &v, std::string &out) {
  char num[32];
  auto text = [&](char tag, std::string_view t) {
    out += tag;
    out.append(num, std::to_chars(num, num + sizeof num, t.size()).ptr);
    out += ':';
    out += t;
  };
  auto number = [&](char tag, auto x) {
    out += tag;
    out.append(num, std::to_chars(num, num + sizeof num, x).ptr);
    out += ';';
  };
  switch (v.type()) {
  case json::value_t::object:
    out += '{';
    for (const auto &[k, x] : v.get_ref<const json::object_t &>()) {
      text('k', k);
      shape_key(x, out);
    }
    out += '}';
    return;
  case json::value_t::array:
    out += '[';
    for (const auto &x : v.get_ref<const json::array_t &>())
      shape_key(x, out);
    out += ']';
    return;
  case json::value_t::string:
    return text('s', v.get_ref<const std::string &>());
  case json::value_t::number_integer:
    return number('i', v.get<int64_t>());
  case json::value_t::number_unsigned:
    return number('u', v.get<uint64_t>());
  case json::value_t::number_float:
    return number('f', v.get<double>());
  case json::value_t::boolean:
    out += v.get<bool>() ? 'T' : 'F';
    return;
  case json::value_t::null:
    out += 'n';
    return;
  case json::value_t::discarded:
    out += 'd';
    return;
  case json::value_t::binary:
    return text('b', v.dump());
  }
}

void bind_step(const LoadedSuite &loaded, PluginHost &host, const StepDef &step, SuitePlan &plan,
               std::vector<Diagnostic> &errors, const std::set<std::string> &cli_vars) {
  StepPlan &bound = plan.step(step);
  bound.bound = true;
  if (step.dot == 0)
    return;
  const std::string plugin(step.plugin_name()), name(step.step_name());
  const LoadedPlugin *p = host.find(plugin);
  if (!p) {
    errors.push_back(unknown_plugin_error(host, plugin, step.use_loc.shifted(1)));
    return;
  }
  auto it = p->steps.find(name);
  if (it == p->steps.end()) {
    std::vector<std::string> names;
    for (const auto &[n, s] : p->steps)
      names.push_back(n);
    std::string near = closest(name, names);
    errors.push_back({step.use_loc.shifted(static_cast<uint32_t>(plugin.size() + 2)),
                      "unknown step '" + step.use + "'",
                      (near.empty() ? "" : "did you mean '" + plugin + "." + near + "'? ") +
                          "plugin '" + plugin + "' has: " + join(names)});
    return;
  }
  const StepInfo &info = it->second;
  bound.target = &info;
  if (!info.input_schema.is_null()) {
    json shape =
        step.with.shape([&](const Ref &r) { return known_constant(loaded.suite, cli_vars, r); });
    const StepInfo *target = &info; // the memo's key: the target's address, then the shape
    std::string key(reinterpret_cast<const char *>(&target), sizeof target);
    shape_key(shape, key);
    if (!plan.valid_shapes.count(key)) {
      auto found = validate_schema(info.input_schema, shape);
      for (auto &e : found)
        errors.push_back({loaded.locate_with(step, e.path), step.use + ": " + e.message, e.hint});
      if (found.empty() && plan.valid_shapes.size() < 10000)
        plan.valid_shapes.insert(std::move(key));
    }
  }
  if (step.with.is_constant()) {
    bound.input_text = plan.keep_text(step.with.constant_value().dump());
    bound.secret_inputs = info.secrets.any;
    return;
  }
  // Only what holds references needs checking once rendered; where the
  // schema is a plain table of properties, check just those properties.
  const json &schema = info.input_schema;
  if (!schema.is_object())
    return;
  bound.run_check_whole = info.whole_input_check;
  const auto *members = step.with.table_members();
  if (info.secrets.any) {
    std::vector<std::string_view> keys;
    if (members)
      for (const auto &m : *members)
        keys.emplace_back(m.first);
    bound.secret_inputs = !members || info.secrets.may_hold(keys);
  }
  if (bound.run_check_whole || !members)
    return;
  auto constrains = [](const json &sub) {
    if (!sub.is_object())
      return sub.is_boolean() && !sub.get<bool>();
    for (const auto &[k, v] : sub.items())
      if (k != "description" && k != "title" && k != "default" && k != "examples")
        return true;
    return false;
  };
  const json *props = schema.contains("properties") ? &schema["properties"] : nullptr;
  const json *additional =
      schema.contains("additionalProperties") ? &schema["additionalProperties"] : nullptr;
  std::vector<const json *> checks;
  bool any = false;
  for (const auto &[key, t] : *members) {
    const json *check = nullptr;
    if (!t.is_constant()) {
      const json *sub = props && props->contains(key) ? &(*props)[key] : additional;
      if (sub && constrains(*sub))
        check = sub;
    }
    any = any || check != nullptr;
    checks.push_back(check);
  }
  if (any)
    bound.member_checks = std::move(checks);
}

} // namespace seam
