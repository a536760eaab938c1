// The unit test of @NAME@: seam/testing.hpp loads seam-@NAME@.so through its
// C entry point, as seam does, and plays the host.
#include <seam/testing.hpp>

#include <cstdio>
#include <cstdlib>

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);                \
      std::exit(1);                                                                                \
    }                                                                                              \
  } while (0)

int main(int argc, char **argv) {
  CHECK(argc == 2); // the path of seam-@NAME@.so
  seam::testing::host host(argv[1]);

  auto greeted = host.run("greet", {{"who", "you"}});
  CHECK(greeted.ok);
  CHECK(greeted.output["text"] == "hello you");

  void *counter = nullptr;
  auto opened = host.open("counter", {{"start", 41}}, &counter);
  CHECK(opened.ok);
  CHECK(host.run("count", seam::testing::json::object(), counter).output["count"] == 42);
  CHECK(host.run("count", seam::testing::json::object(), counter).output["count"] == 43);
  host.close(counter);
  std::puts("ok");
  return 0;
}
