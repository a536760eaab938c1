// plugin_loop.cpp - seam-sql.so alone, for bench/sql/run: the N inserts and N
// selects of the seam suite, called through the plugin's C ABI with the
// same JSON inputs the core would send, by a host of this file's own that
// does nothing else. What this costs is the plugin's share of a seam step
// (JSON in and out included); the rest of seam's figure is the core's.
//
//   plugin_loop PLUGIN.so URL N
//
// Prints one line per figure: NAME MILLISECONDS.
#include <seam/plugin.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <dlfcn.h>

namespace {

struct call {
  std::string output, error;
};

call *as(const seam_ctx *c) { return reinterpret_cast<call *>(const_cast<seam_ctx *>(c)); }

[[noreturn]] void fail(const std::string &what) {
  std::fprintf(stderr, "plugin_loop: %s\n", what.c_str());
  std::exit(1);
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: plugin_loop PLUGIN.so URL N\n");
    return 2;
  }
  void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr)
    fail(dlerror());
  auto entry = reinterpret_cast<seam_plugin_entry_fn>(dlsym(lib, SEAM_PLUGIN_ENTRY_NAME));
  if (entry == nullptr)
    fail("no entry symbol");
  const seam_plugin *plugin = entry();
  int n = std::atoi(argv[3]);

  seam_host_api host{};
  host.struct_size = sizeof host;
  host.abi_major = SEAM_ABI_MAJOR;
  host.abi_minor = SEAM_ABI_MINOR;
  host.set_output = [](seam_ctx *c, const char *t, size_t len) { as(c)->output.assign(t, len); };
  host.set_error = [](seam_ctx *c, const char *t, size_t len) { as(c)->error.assign(t, len); };
  host.log = [](seam_ctx *, seam_log_level, const char *, size_t) {};
  host.cancelled = [](const seam_ctx *) { return 0; };
  host.remaining_ms = [](const seam_ctx *) -> int64_t { return 30000; };
  host.add_secret = [](seam_ctx *, const char *, size_t) {};
  host.match = [](seam_ctx *, const char *, size_t, const char *, size_t) { return -1; };
  host.test_id = [](const seam_ctx *) { return "bench-1"; };
  host.jobs = [](const seam_ctx *) -> uint32_t { return 1; };

  call c;
  auto *ctx = reinterpret_cast<seam_ctx *>(&c);
  void *state = nullptr;
  if (plugin->init && plugin->init(&host, ctx, &state) != SEAM_OK)
    fail("init: " + c.error);
  std::string config = std::string("{\"url\":\"") + argv[2] + "\",\"pool\":1}";
  void *db = nullptr;
  if (plugin->resource_type->open(&host, ctx, state, "db", config.data(), config.size(), &db) !=
      SEAM_OK)
    fail("open: " + c.error);
  auto step = [&](const char *name) {
    for (size_t i = 0; i < plugin->step_count; ++i)
      if (std::strcmp(plugin->steps[i]->name, name) == 0)
        return plugin->steps[i];
    fail(std::string("no step ") + name);
  };
  const seam_step *exec = step("exec"), *query = step("query"), *script = step("script");
  auto run = [&](const seam_step *s, const std::string &input) {
    c.error.clear();
    if (s->run(&host, ctx, s->data, state, db, input.data(), input.size()) != SEAM_OK)
      fail(std::string(s->name) + ": " + c.error);
  };
  run(script,
      R"j({"sql":"DROP TABLE IF EXISTS bench_plugin; CREATE TABLE bench_plugin (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"})j");

  // The inputs as the core renders them: one text per step, made beforehand.
  std::vector<std::string> inserts, selects;
  for (int i = 1; i <= n; ++i) {
    inserts.push_back(R"j({"params":{"id":)j" + std::to_string(i) + R"j(,"name":"user-)j" +
                      std::to_string(i) +
                      R"j("},"sql":"INSERT INTO bench_plugin (id, name) VALUES (:id, :name)"})j");
    selects.push_back(R"j({"params":{"id":)j" + std::to_string(i) +
                      R"j(},"sql":"SELECT id, name FROM bench_plugin WHERE id = :id"})j");
  }
  auto t0 = std::chrono::steady_clock::now();
  for (const auto &in : inserts)
    run(exec, in);
  std::printf("insert_plugin %.3f\n", ms_since(t0));
  t0 = std::chrono::steady_clock::now();
  for (const auto &in : selects)
    run(query, in);
  std::printf("select_plugin %.3f\n", ms_since(t0));
  if (c.output.find("\"count\":1") == std::string::npos)
    fail("the last select found no row: " + c.output);

  run(exec, R"j({"sql":"DROP TABLE bench_plugin"})j");
  plugin->resource_type->close(state, db);
  return 0;
}
