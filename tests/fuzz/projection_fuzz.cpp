// Fuzz target: outputs read by the core (simdjson first, nlohmann for what
// it refuses) against nlohmann alone. The input is paths, one per line, then
// a NUL byte, then the output text (without a NUL byte: the text, with the
// paths of an HTTP step). The SDK's is_json must say what json::accept says,
// read_json_or_discarded must build what json::parse builds, and the projected parse
// must refuse the same texts and give every path what it finds in the whole
// parse. The SDK's seam::write_json must write each tree as json::dump does,
// and seam::parse_json_exact must read what its nlohmann SAX reader reads.
// A step's seam::json_view of the text (simdjson's document) must read as
// the view of json::parse's tree does, value by value.
#include "seam/core/expect/output_projection.hpp"

#include <seam/exact_numbers.hpp>
#include <seam/json_builder.hpp>
#include <seam/json_read.hpp>
#include <seam/json_view.hpp>
#include <seam/json_write.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

using namespace seam;

namespace {

// Whether two views read alike: the same kinds, values, members and
// elements (an object's members looked up by the tree's keys, the last of
// equal keys counting) and the same tree.
bool same(json_view a, json_view b) {
  if (std::strcmp(a.type_name(), b.type_name()) != 0 ||
      a.is_number_unsigned() != b.is_number_unsigned() ||
      a.is_number_float() != b.is_number_float())
    return false;
  if (a.is_string() && a.get_string() != b.get_string())
    return false;
  if (a.is_boolean() && a.get_bool() != b.get_bool())
    return false;
  if (a.is_number_unsigned() && a.get_uint64() != b.get_uint64())
    return false;
  if (a.is_number_integer() && !a.is_number_unsigned() && a.get_int64() != b.get_int64())
    return false;
  if (a.is_number_float()) {
    double x = a.get_double(), y = b.get_double(); // bit for bit: -0.0 is not 0.0
    if (std::memcmp(&x, &y, sizeof x) != 0)
      return false;
  }
  if (a.is_array()) {
    std::vector<json_view> x, y;
    a.elements([&](json_view v) { x.push_back(v); });
    b.elements([&](json_view v) { y.push_back(v); });
    if (x.size() != y.size())
      return false;
    for (size_t i = 0; i < x.size(); ++i)
      if (!same(x[i], y[i]))
        return false;
  }
  if (a.is_object()) {
    bool all = true;
    b.members([&](std::string_view key, json_view v) { all = all && same(a[key], v); });
    a.members([&](std::string_view key, json_view) { all = all && b.contains(key); });
    if (!all)
      return false;
  }
  return a.to_json() == b.to_json();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view input(reinterpret_cast<const char *>(data), size);
  std::string_view path_lines = "status\njson.items[0].id\njson.items[-1]\nheaders";
  std::string_view text = input;
  if (auto nul = input.find('\0'); nul != std::string_view::npos) {
    path_lines = input.substr(0, nul);
    text = input.substr(nul + 1);
  }
  std::vector<JsonPath> paths;
  while (!path_lines.empty()) {
    auto end = path_lines.find('\n');
    if (auto p = JsonPath::parse(path_lines.substr(0, end)))
      paths.push_back(std::move(*p));
    path_lines = end == std::string_view::npos ? std::string_view() : path_lines.substr(end + 1);
  }
  std::vector<const JsonPath *> ptrs;
  for (const auto &p : paths)
    ptrs.push_back(&p);
  // Any bytes as a string (control characters, invalid UTF-8 included) are
  // escaped as nlohmann escapes them.
  json raw = std::string(text);
  if (write_json(raw) != raw.dump(-1, ' ', false, json::error_handler_t::replace))
    std::abort();
  json whole = json::parse(text, nullptr, false);
  if (is_json(text) != json::accept(text))
    std::abort();
  json fast = read_json_or_discarded(text);
  if (fast.is_discarded() != whole.is_discarded() || (!whole.is_discarded() && fast != whole))
    std::abort();
  // The same tree to the byte (== calls 1 and 1.0 equal; their texts are
  // not), and the SDK's writer writes nlohmann's text.
  if (!whole.is_discarded()) {
    std::string expected = whole.dump(-1, ' ', false, json::error_handler_t::replace);
    if (write_json(fast) != expected || write_json(whole) != expected)
      std::abort();
  }
  // A step's input view, from simdjson's document (or the tree, for what
  // simdjson refuses), against the view of json::parse's tree.
  // A builder writes the tree's view as write_json writes the tree, and
  // the document's view (members in the text's order) as text that reads
  // back to the same tree.
  if (!whole.is_discarded()) {
    std::string expected = write_json(whole);
    if (json_builder().value(json_view(whole)).take().str() != expected)
      std::abort();
    seam::detail::with_input_view(text.data(), text.size(), [&](json_view in) {
      if (!text.empty() && !same(in, json_view(whole)))
        std::abort();
      if (!text.empty() && write_json(read_json(json_builder().value(in).take().str())) != expected)
        std::abort();
    });
  }
  // The SDK's exact reader (HTTP bodies, messages): simdjson where the text
  // has no double, else nlohmann's SAX with exact numbers, which is what
  // it must match everywhere.
  json exact_slow;
  seam::detail::exact_sax sax(exact_slow, false);
  bool slow_read = json::sax_parse(text, &sax, json::input_format_t::json, true, false);
  json exact = parse_json_exact(text);
  if (exact.is_discarded() != !slow_read ||
      (slow_read && exact.dump(-1, ' ', false, json::error_handler_t::replace) !=
                        exact_slow.dump(-1, ' ', false, json::error_handler_t::replace)))
    std::abort();
  // append_json_exact writes the exact tree's text, without the tree.
  std::string appended = "x";
  if (seam::append_json_exact(appended, text) != slow_read ||
      appended != (slow_read ? "x" + write_json(exact_slow) : "x"))
    std::abort();
  auto projection = OutputProjection::of(ptrs);
  if (!projection)
    return 0;
  json part = projection->parse(text);
  if (part.is_discarded() != whole.is_discarded())
    std::abort();
  if (whole.is_discarded())
    return 0;
  for (const auto &p : paths) {
    const json *a = p.find(whole);
    const json *b = p.find(part);
    if ((a == nullptr) != (b == nullptr) || (a && *a != *b))
      std::abort();
  }
  return 0;
}
