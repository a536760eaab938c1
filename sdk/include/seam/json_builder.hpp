// seam/json_builder.hpp - a step's output written as JSON text piece by
// piece, without building a json tree first.
//
// A step may return seam::json_text instead of seam::json; the text goes to
// the host as it is. seam::json_builder writes one:
//
//   seam::json_builder out;
//   out.begin_object();
//   out.key("count").value(rows.size());
//   out.key("rows").begin_array();
//   for (const auto &r : rows)
//     out.begin_object().key("id").value(r.id).key("name").value(r.name).end_object();
//   out.end_array();
//   out.end_object();
//   return out.take();
//
// Strings, numbers and trees are written exactly as seam::write_json writes
// them (seam/json_write.hpp), so a builder's text and the text of the same
// value built as a json tree are alike byte for byte when the keys come in
// the tree's (sorted) order. A builder used out of order (a value where a key
// belongs, an object left open) throws std::logic_error, which fails the step
// with that message; it never hands the host broken text.
#ifndef SEAM_JSON_BUILDER_HPP
#define SEAM_JSON_BUILDER_HPP

#include <seam/json_view.hpp>
#include <seam/json_write.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace seam {

// One complete JSON value as text, made by json_builder::take(): what a step
// may return in place of a json tree.
class json_text {
public:
  json_text() = default;
  const std::string &str() const & { return text_; }
  std::string str() && { return std::move(text_); }
  bool empty() const { return text_.empty(); }

private:
  friend class json_builder;
  explicit json_text(std::string text) : text_(std::move(text)) {}
  std::string text_;
};

// A member's name escaped once, for a name written many times (a table's
// column names in every row, an output's fixed names): json_builder::key
// appends its text as it is.
//
//   static const seam::json_key count("count");
//   out.key(count).value(rows.size());
class json_key {
public:
  explicit json_key(std::string_view name) { append_json_key(text_, name, true); }
  // `,"name":`, the comma left out before an object's first member.
  const std::string &text() const { return text_; }

private:
  std::string text_;
};

class json_builder {
public:
  json_builder() { out_.reserve(256); }

  json_builder &begin_object() { return open('{', in_object); }
  json_builder &end_object() { return close('}', in_object, "end_object"); }
  json_builder &begin_array() { return open('[', in_array); }
  json_builder &end_array() { return close(']', in_array, "end_array"); }

  // A member's name, in an object; its value comes next.
  json_builder &key(std::string_view name) {
    bool comma = open_key([&] { return "\"" + std::string(name) + "\""; });
    append_json_key(out_, name, comma);
    return *this;
  }

  // The same, for a name escaped beforehand.
  json_builder &key(const json_key &name) {
    const std::string &t = name.text(); // ,"name":
    bool comma = open_key([&] { return t.substr(1, t.size() - 2); });
    out_.append(t.data() + !comma, t.size() - !comma);
    return *this;
  }

  json_builder &value(std::nullptr_t) { return scalar("null"); }
  json_builder &value(bool v) { return scalar(v ? "true" : "false"); }
  json_builder &value(std::string_view s) {
    before_value();
    append_json_string(out_, s);
    return *this;
  }
  json_builder &value(const char *s) { return value(std::string_view(s)); }
  json_builder &value(const std::string &s) { return value(std::string_view(s)); }
  // Doubles as write_json writes them: null when not finite.
  json_builder &value(double v) {
    before_value();
    json_write_detail::append_double(out_, v);
    return *this;
  }
  template <class Int,
            std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool>, int> = 0>
  json_builder &value(Int v) {
    before_value();
    json_write_detail::append_integer(out_, v);
    return *this;
  }
  // A tree, written in place.
  json_builder &value(const nlohmann::json &v) {
    before_value();
    append_json(out_, v);
    return *this;
  }
  // A value of a step's input, written in place: an object's members in
  // the order of the input's text (seam writes inputs with sorted keys,
  // each once, so that is the order a tree would give).
  json_builder &value(json_view v) {
    if (v.is_object()) {
      begin_object();
      v.members([&](std::string_view k, json_view m) { key(k).value(m); });
      return end_object();
    }
    if (v.is_array()) {
      begin_array();
      v.elements([&](json_view e) { value(e); });
      return end_array();
    }
    if (v.is_string())
      return value(v.get_string());
    if (v.is_number_unsigned())
      return value(v.get_uint64());
    if (v.is_number_integer())
      return value(v.get_int64());
    if (v.is_number_float())
      return value(v.get_double());
    if (v.is_boolean())
      return value(v.get_bool());
    if (v.is_null())
      return value(nullptr);
    misuse("value(json_view): the value is missing (a member the input lacks)");
  }
  // Text another builder made, written in place.
  json_builder &value(const json_text &v) {
    if (v.empty())
      misuse("value(json_text): the text is empty (one taken twice, or never made)");
    before_value();
    out_ += v.str();
    return *this;
  }

  // The text, once exactly one value is complete; the builder is empty
  // again after it.
  json_text take() {
    if (!stack_.empty() || !done_)
      misuse(stack_.empty() ? "take() before any value was written"
                            : "take() with an object or array still open");
    done_ = false;
    return json_text(std::exchange(out_, std::string()));
  }

private:
  // Writes JSON text from elsewhere as the next value (seam/exact_numbers.hpp).
  friend bool append_json_exact(json_builder &out, std::string_view text);

  // The open containers, innermost last, one byte each (a short string
  // needs no allocation): what it is and where it stands.
  enum : char {
    in_object = 1,
    in_array = 2,
    after_key = 4, // an object's key was written, its value not yet
    nonempty = 8,  // a member or element was written
  };

  [[noreturn]] static void misuse(const std::string &what) {
    throw std::logic_error("seam::json_builder: " + what);
  }

  // A key goes in the innermost container, an object awaiting one: marks it
  // as awaiting the key's value and says whether a comma goes first.
  // `quoted()` is the name as the misuse message shows it.
  template <class Quoted> bool open_key(Quoted &&quoted) {
    if (stack_.empty() || (stack_.back() & ~nonempty) != in_object)
      misuse("key(" + quoted() + ") outside an object, or right after a key");
    bool comma = stack_.back() & nonempty;
    stack_.back() = in_object | after_key;
    return comma;
  }

  // Commas between array elements; a value in an object must follow its key.
  void before_value() {
    if (stack_.empty()) {
      if (done_)
        misuse("a second value after a complete one");
      done_ = true;
      return;
    }
    char &f = stack_.back();
    if (f & in_object) {
      if (!(f & after_key))
        misuse("a value in an object without its key()");
      f = in_object | nonempty;
    } else {
      if (f & nonempty)
        out_ += ',';
      f = in_array | nonempty;
    }
  }

  json_builder &scalar(const char *text) {
    before_value();
    out_ += text;
    return *this;
  }

  json_builder &open(char c, char kind) {
    before_value();
    out_ += c;
    stack_ += kind;
    return *this;
  }

  json_builder &close(char c, char kind, const char *what) {
    if (stack_.empty() || (stack_.back() & ~nonempty) != kind)
      misuse(std::string(what) + (stack_.empty() ? "() with nothing open"
                                  : stack_.back() & after_key
                                      ? "() right after a key, before its value"
                                      : "() closes the wrong kind of container"));
    stack_.pop_back();
    out_ += c;
    return *this;
  }

  std::string out_;
  std::string stack_;
  bool done_ = false;
};

} // namespace seam

#endif // SEAM_JSON_BUILDER_HPP
