// Fuzz target: the JSON path parser (`json.items[0].id`, `rows[0]["e-mail"]`,
// `json.items[-1]`). A path that parses is looked up in a document, and its
// own text parses again to the same segments.
#include "seam/core/base/json_path.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

using namespace seam;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view text(reinterpret_cast<const char *>(data), size);
  std::string error;
  size_t col = 0;
  auto path = JsonPath::parse(text, &error, &col);
  if (!path) {
    if (error.empty() || col > text.size())
      std::abort(); // a refusal says why and where
    return 0;
  }
  static const json doc = json::parse(R"({"json": {"items": [{"id": 1}, {"id": 2}], "a b": null},
    "rows": [{"e-mail": "x@y"}], "headers": {"content-type": "text/plain"}, "": [[[]]]})");
  (void)path->find(doc);
  auto again = JsonPath::parse(path->text());
  if (!again || again->segments() != path->segments())
    std::abort();
  return 0;
}
