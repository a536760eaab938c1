// The reference for seam's load time (issue 16): TOML++, the parser seam
// uses, reading the same suite file into its tree in one thread and nothing
// else. The bench times this whole process like it times `seam check`.
// Prints the node count, so that the tree is walked and cannot be skipped.
#include <toml++/toml.h>

#include <cstdio>
#include <fstream>
#include <sstream>

static size_t count(const toml::node &n) {
  size_t c = 1;
  if (const toml::table *t = n.as_table())
    for (auto &&[k, v] : *t)
      c += count(v);
  else if (const toml::array *a = n.as_array())
    for (auto &&e : *a)
      c += count(e);
  return c;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: toml_parse FILE\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "toml_parse: cannot read %s\n", argv[1]);
    return 1;
  }
  std::ostringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  try {
    // No source path, as seam parses (nodes then carry no shared path).
    toml::table root = toml::parse(doc);
    std::printf("%zu\n", count(root));
  } catch (const toml::parse_error &e) {
    std::fprintf(stderr, "toml_parse: %s\n", e.what());
    return 1;
  }
  return 0;
}
