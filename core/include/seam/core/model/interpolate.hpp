// Values with ${...} references, compiled once at load time and rendered per
// step. `${name}`, `${name.path[0]}`, `${env.X}`, `${env.X:-default}`,
// `${run.id}`, `${test.id}`, `${uuid}`, `${now}`, `${resources.db.url}`.
// A string that is exactly one `${...}` renders to the referenced value with its
// type; inside a longer string it becomes text. `$${` is a literal `${`.
#pragma once

#include "seam/core/base/diagnostics.hpp"
#include "seam/core/base/json_path.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace seam {

struct BuiltinRoot; // builtins.hpp

struct Ref {
  std::string root;                     // first name: a variable, env, run, test, ...
  const BuiltinRoot *builtin = nullptr; // what `root` names when it is a built-in
  JsonPath path;                        // what follows the root
  std::optional<std::string> fallback;  // text after ":-"
  std::string text;                     // the expression as written, without ${ }
  SourceLoc loc;                        // where `${` stands
};

// Looks references up; returns nullopt when the name is not defined.
class Resolver {
public:
  virtual ~Resolver() = default;
  virtual std::optional<json> lookup(const Ref &ref) const = 0;
  // The value where the resolver keeps it (a variable, a saved value), so
  // that rendering writes it out without copying it first; nullptr: ask
  // lookup(), which has the last word.
  virtual const json *find(const Ref &) const { return nullptr; }
};

// A reference that resolved to nothing and had no fallback.
class UndefinedReference : public std::runtime_error {
public:
  explicit UndefinedReference(const Ref &r);
  const Ref &ref() const { return ref_; }

private:
  Ref ref_;
};

class Template {
public:
  Template() : Template(constant(json())) {}

  static Template constant(json value);
  // The same for a scalar read from a suite: equal values share one node.
  static Template shared_constant(json value);
  // Parses the ${...} in a string. Syntax errors are appended to `errors`
  // (the result is then a constant of the raw text).
  static Template string(const std::string &text, const SourceLoc &loc,
                         std::vector<Diagnostic> &errors);
  static Template object(std::vector<std::pair<std::string, Template>> members);
  static Template array(std::vector<Template> items);

  bool is_constant() const;
  // The members when this is a table (constant or not); nullopt otherwise.
  std::optional<std::vector<std::pair<std::string, Template>>> members() const;
  // The members of a table that is not constant, where they are kept (no
  // copy); nullptr for anything else. In the order render_json writes them.
  const std::vector<std::pair<std::string, Template>> *table_members() const;
  // The value when is_constant().
  const json &constant_value() const;

  json render(const Resolver &r) const;
  // Appends the rendered value as JSON text, without building a json first.
  void render_json(const Resolver &r, std::string &out) const;

  // The value with every part that holds a reference replaced by a
  // `discarded` json (type unknown until run time), for static checks.
  json shape() const;
  // The same, with the references `known` answers filled in (constant
  // variables, at check time): more of a step's input can be checked early.
  json shape(const std::function<std::optional<json>(const Ref &)> &known) const;

  // Every reference, in order.
  void for_each_ref(const std::function<void(const Ref &)> &fn) const;

  // How many bytes the rendered value takes at most, given how large each
  // reference is (`ref_size`); saturates instead of overflowing.
  size_t expanded_size(const std::function<size_t(const Ref &)> &ref_size) const;

private:
  struct Node;
  explicit Template(std::shared_ptr<const Node> n) : node_(std::move(n)) {}
  std::shared_ptr<const Node> node_;
};

// The largest value a variable may expand to: `seam check` refuses a suite
// whose variables grow past it (`${w}${w}` nested 40 deep is a terabyte).
inline constexpr size_t kMaxExpandedBytes = size_t{16} << 20;

// Renders a value as text, the way it appears inside a longer string.
std::string to_text(const json &v);

} // namespace seam
