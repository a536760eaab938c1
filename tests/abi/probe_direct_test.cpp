// Drives the C99 probe plugin through the bare C ABI, with a host table of our
// own: proves the plugin keeps the contract (copies in, copies out, cancels,
// logs, declares secrets) independently of seam's loader and runner. The
// table's typed input/output functions (ABI 1.2) are a small stand-in that
// knows only the paths the probe uses: "" and top-level keys.
#include <seam/plugin.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <dlfcn.h>

#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#ifndef SEAM_PROBE_PATH
#error "SEAM_PROBE_PATH must name seam-probe.so"
#endif

using nlohmann::json;

namespace {

struct fake_ctx {
  std::string output, error;
  bool has_output = false, has_error = false;
  std::vector<std::pair<int, std::string>> logs;
  std::vector<std::string> secrets;
  int cancel_after_polls = -1; // -1: never cancelled
  int polls = 0;
  std::string input; // the call's input, for the input_* functions
  json built;        // what output_* built
  std::deque<std::string> texts;
};

fake_ctx &as(seam_ctx *c) { return *reinterpret_cast<fake_ctx *>(c); }

const json *input_at(seam_ctx *c, const char *path) {
  static thread_local json doc;
  doc = json::parse(as(c).input, nullptr, false);
  if (doc.is_discarded())
    return nullptr;
  if (*path == '\0')
    return &doc;
  auto it = doc.is_object() ? doc.find(path) : doc.end();
  return it == doc.end() ? nullptr : &*it;
}

void output_at(seam_ctx *c, const char *path, json value) {
  fake_ctx &f = as(c);
  if (*path == '\0')
    f.built = std::move(value);
  else
    f.built[path] = std::move(value);
  f.output = f.built.dump();
  f.has_output = true;
}

const seam_host_api host_api = [] {
  seam_host_api h{};
  h.struct_size = sizeof h;
  h.abi_major = SEAM_ABI_MAJOR;
  h.abi_minor = SEAM_ABI_MINOR;
  h.set_output = [](seam_ctx *c, const char *text, size_t len) {
    as(c).output.assign(text, len);
    as(c).has_output = true;
  };
  h.set_error = [](seam_ctx *c, const char *text, size_t len) {
    as(c).error.assign(text, len);
    as(c).has_error = true;
  };
  h.log = [](seam_ctx *c, seam_log_level level, const char *text, size_t len) {
    as(c).logs.emplace_back(level, std::string(text, len));
  };
  h.cancelled = [](const seam_ctx *c) -> int {
    auto &f = *reinterpret_cast<fake_ctx *>(const_cast<seam_ctx *>(c));
    ++f.polls;
    return f.cancel_after_polls >= 0 && f.polls > f.cancel_after_polls;
  };
  h.remaining_ms = [](const seam_ctx *) -> int64_t { return -1; };
  h.add_secret = [](seam_ctx *c, const char *text, size_t len) {
    as(c).secrets.emplace_back(text, len);
  };
  h.match = [](seam_ctx *, const char *, size_t, const char *, size_t) { return -1; };
  h.test_id = [](const seam_ctx *) { return "direct"; };
  h.jobs = [](const seam_ctx *) -> uint32_t { return 1; };
  h.input_type = [](seam_ctx *c, const char *path) {
    const json *v = input_at(c, path);
    if (!v)
      return SEAM_JSON_MISSING;
    if (v->is_number_integer())
      return SEAM_JSON_INT;
    return v->is_string()    ? SEAM_JSON_STRING
           : v->is_number()  ? SEAM_JSON_NUMBER
           : v->is_boolean() ? SEAM_JSON_BOOL
           : v->is_null()    ? SEAM_JSON_NULL
           : v->is_array()   ? SEAM_JSON_ARRAY
                             : SEAM_JSON_OBJECT;
  };
  h.input_string = [](seam_ctx *c, const char *path, const char **out, size_t *len) {
    const json *v = input_at(c, path);
    if (!v || !v->is_string())
      return 0;
    const std::string &text = as(c).texts.emplace_back(v->get<std::string>());
    *out = text.c_str();
    *len = text.size();
    return 1;
  };
  h.input_int = [](seam_ctx *c, const char *path, int64_t *out) {
    const json *v = input_at(c, path);
    if (!v || !v->is_number_integer())
      return 0;
    *out = v->get<int64_t>();
    return 1;
  };
  h.output_string = [](seam_ctx *c, const char *path, const char *value, size_t len) {
    output_at(c, path, std::string(value, len));
  };
  h.output_int = [](seam_ctx *c, const char *path, int64_t value) { output_at(c, path, value); };
  h.output_json = [](seam_ctx *c, const char *path, const char *text, size_t len) {
    json v = json::parse(std::string(text, len), nullptr, false);
    if (v.is_discarded())
      return 0;
    output_at(c, path, std::move(v));
    return 1;
  };
  return h;
}();

class Probe : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    // Never dlclose: the host keeps plugin libraries loaded for the process.
    void *lib = dlopen(SEAM_PROBE_PATH, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(lib, nullptr) << dlerror();
    auto entry = reinterpret_cast<seam_plugin_entry_fn>(dlsym(lib, SEAM_PLUGIN_ENTRY_NAME));
    ASSERT_NE(entry, nullptr);
    plugin = entry();
  }

  static const seam_step *find(const std::string &name) {
    for (size_t i = 0; i < plugin->step_count; ++i)
      if (name == plugin->steps[i]->name)
        return plugin->steps[i];
    return nullptr;
  }

  // Runs a step; returns SEAM_OK/SEAM_ERROR and leaves the result in ctx.
  static seam_status run(const std::string &step, const std::string &input, fake_ctx &ctx,
                         void *resource = nullptr) {
    const seam_step *s = find(step);
    EXPECT_NE(s, nullptr) << step;
    if (s == nullptr)
      return SEAM_ERROR;
    ctx.input = input;
    return s->run(&host_api, reinterpret_cast<seam_ctx *>(&ctx), s->data, nullptr, resource,
                  input.data(), input.size());
  }

  static json ok(const std::string &step, const std::string &input) {
    fake_ctx ctx;
    EXPECT_EQ(run(step, input, ctx), SEAM_OK) << ctx.error;
    EXPECT_TRUE(ctx.has_output);
    return json::parse(ctx.output);
  }

  static inline const seam_plugin *plugin = nullptr;
};

TEST_F(Probe, DescriptorIsComplete) {
  EXPECT_EQ(plugin->struct_size, sizeof(seam_plugin));
  EXPECT_EQ(plugin->abi_major, 1u);
  EXPECT_EQ(plugin->abi_minor, static_cast<uint32_t>(SEAM_ABI_MINOR));
  EXPECT_STREQ(plugin->name, "probe");
  ASSERT_NE(plugin->resource_type, nullptr);
  for (const char *name :
       {"noop", "echo", "fail", "sleep", "count", "log", "secret", "resource_tag"}) {
    const seam_step *s = find(name);
    ASSERT_NE(s, nullptr) << name;
    EXPECT_EQ(s->struct_size, sizeof(seam_step));
    EXPECT_NE(std::string(s->summary), "");
    ASSERT_NE(s->input_schema, nullptr) << name;
    json schema = json::parse(s->input_schema); // every schema is valid JSON
    EXPECT_EQ(schema["type"], "object") << name;
    if (std::string(name) != "noop" && std::string(name) != "echo") {
      EXPECT_EQ(schema["additionalProperties"], false) << name;
    }
    if (s->output_schema != nullptr) {
      EXPECT_TRUE(json::accept(s->output_schema)) << name;
    }
  }
  EXPECT_EQ(find("resource_tag")->resource, SEAM_RESOURCE_REQUIRED);
  EXPECT_TRUE(json::accept(plugin->resource_type->config_schema));
}

TEST_F(Probe, NoopAndEcho) {
  EXPECT_EQ(ok("noop", R"({"anything": [1, 2]})"), json::object());
  std::string input = R"({"a": {"b": [1, "x\"y"]}, "u": "\u00e9"})";
  EXPECT_EQ(ok("echo", input), json({{"input", json::parse(input)}}));
  EXPECT_EQ(ok("echo", ""), json({{"input", json::object()}}));
}

TEST_F(Probe, FailUsesMessageOrDefault) {
  fake_ctx a, b, c;
  EXPECT_EQ(run("fail", R"({"message": "it \"broke\"\n\u00e9\ud83d\ude00"})", a), SEAM_ERROR);
  EXPECT_EQ(a.error, "it \"broke\"\n\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_EQ(run("fail", "{}", b), SEAM_ERROR);
  EXPECT_EQ(b.error, "probe failure");
  EXPECT_EQ(run("fail", R"({"message": 3})", c), SEAM_ERROR);
  EXPECT_NE(c.error.find("must be a string"), std::string::npos);
}

TEST_F(Probe, SleepSleepsAndStopsWhenCancelled) {
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(ok("sleep", R"({"ms": 30})"), json({{"slept_ms", 30}}));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(30));

  fake_ctx ctx;
  ctx.cancel_after_polls = 2; // cancelled on the third slice, ~10 ms in
  start = std::chrono::steady_clock::now();
  EXPECT_EQ(run("sleep", R"({"ms": 5000})", ctx), SEAM_ERROR);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
  EXPECT_EQ(ctx.error.rfind("cancelled after ", 0), 0u) << ctx.error;
  EXPECT_NE(ctx.error.find(" ms"), std::string::npos) << ctx.error;

  fake_ctx bad;
  EXPECT_EQ(run("sleep", R"({"ms": -1})", bad), SEAM_ERROR);
  EXPECT_EQ(run("sleep", R"({"ms": 1.5})", bad), SEAM_ERROR);
}

TEST_F(Probe, CountIsPerKeyAndThreadSafe) {
  EXPECT_EQ(ok("count", R"({"key": "direct-a"})")["count"], 1);
  EXPECT_EQ(ok("count", R"({"key": "direct-a"})")["count"], 2);
  EXPECT_EQ(ok("count", R"({"key": "direct-b"})")["count"], 1);
  long first_default = ok("count", "{}")["count"];
  EXPECT_EQ(ok("count", R"({"key": "default"})")["count"], first_default + 1);

  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([] {
      for (int i = 0; i < 250; ++i) {
        fake_ctx ctx;
        run("count", R"({"key": "threads"})", ctx);
      }
    });
  for (auto &t : threads)
    t.join();
  EXPECT_EQ(ok("count", R"({"key": "threads"})")["count"], 1001);
}

TEST_F(Probe, LogAndSecretGoThroughTheHost) {
  fake_ctx log;
  EXPECT_EQ(run("log", R"({"message": "hello \u0041"})", log), SEAM_OK);
  ASSERT_EQ(log.logs.size(), 1u);
  EXPECT_EQ(log.logs[0].first, SEAM_LOG_INFO);
  EXPECT_EQ(log.logs[0].second, "hello A");
  EXPECT_EQ(json::parse(log.output), json::object());

  fake_ctx secret;
  EXPECT_EQ(run("secret", R"({"value": "s3\"cr\\et"})", secret), SEAM_OK);
  ASSERT_EQ(secret.secrets.size(), 1u);
  EXPECT_EQ(secret.secrets[0], "s3\"cr\\et");
  EXPECT_EQ(json::parse(secret.output)["value"], "s3\"cr\\et");
}

TEST_F(Probe, ResourceOpensPublishesAndCloses) {
  const seam_resource_type *rt = plugin->resource_type;
  std::string log_path = ::testing::TempDir() + "probe-direct-resources.log";
  std::remove(log_path.c_str());
  std::string config = json({{"tag", "blue"}, {"log", log_path}}).dump();

  fake_ctx ctx;
  ctx.input = config;
  void *handle = nullptr;
  ASSERT_EQ(rt->open(&host_api, reinterpret_cast<seam_ctx *>(&ctx), nullptr, "db", config.data(),
                     config.size(), &handle),
            SEAM_OK)
      << ctx.error;
  ASSERT_NE(handle, nullptr);
  EXPECT_EQ(json::parse(ctx.output), json({{"tag", "blue"}, {"name", "db"}, {"port", 1234}}));

  fake_ctx step;
  EXPECT_EQ(run("resource_tag", "{}", step, handle), SEAM_OK);
  EXPECT_EQ(json::parse(step.output), json({{"tag", "blue"}, {"name", "db"}}));
  rt->close(nullptr, handle);

  std::ifstream in(log_path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "open db\nclose db\n");

  fake_ctx failing;
  std::string fail_config = R"({"fail": "no such database"})";
  failing.input = fail_config;
  handle = nullptr;
  EXPECT_EQ(rt->open(&host_api, reinterpret_cast<seam_ctx *>(&failing), nullptr, "x",
                     fail_config.data(), fail_config.size(), &handle),
            SEAM_ERROR);
  EXPECT_EQ(failing.error, "no such database");
  EXPECT_EQ(handle, nullptr);
}

} // namespace
