// plugin_host.cpp - see plugin_host.hpp.
#include "plugin_host.hpp"

#include <seam/core/host/plugin_host.hpp>

#include <dlfcn.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace seam_test {

namespace {

std::string source_dir() {
  const char *env = std::getenv("SEAM_SOURCE_DIR");
  return env != nullptr ? env : SEAM_SOURCE_DIR_DEFAULT;
}

} // namespace

std::string plugin_path() {
  const char *env = std::getenv("SEAM_HTTP_PLUGIN");
  return env != nullptr ? env : SEAM_HTTP_PLUGIN_DEFAULT;
}

plugin_host &plugin() {
  static plugin_host h(plugin_path());
  return h;
}

plugin_host::plugin_host(const std::string &path) : host_(path) {
  host_.set_matcher([](const json &expect, const json &doc, std::string *why) {
    return seam::PluginHost::match(expect.dump(), doc.dump(), why);
  });
}

const seam_step *plugin_host::find_step(const std::string &name) const {
  return host_.find_step(name);
}

call_result plugin_host::convert(seam::testing::result r, size_t secrets_before) const {
  call_result c;
  c.ok = r.ok;
  c.output = std::move(r.output);
  c.error = std::move(r.error);
  c.logs = std::move(r.logs);
  auto all = host_.secrets();
  c.secrets.assign(all.begin() + static_cast<long>(std::min(secrets_before, all.size())),
                   all.end());
  return c;
}

call_result plugin_host::run(const std::string &step, const json &input, void *resource,
                             long deadline_ms, const std::string &test_id, unsigned jobs) {
  seam::testing::call_options o;
  if (deadline_ms >= 0)
    o.deadline = std::chrono::milliseconds(deadline_ms);
  o.test_id = test_id;
  o.jobs = jobs;
  size_t before = host_.secrets().size();
  return convert(host_.run(step, input, resource, o), before);
}

call_result plugin_host::open(const std::string &name, const json &config, void **handle) {
  size_t before = host_.secrets().size();
  return convert(host_.open(name, config, handle), before);
}

void plugin_host::close(void *handle) { host_.close(handle); }

const std::map<std::string, std::string> &nginx() {
  static std::map<std::string, std::string> facts = [] {
    std::string env_file;
    if (const char *env = std::getenv("SEAM_TEST_NGINX_ENV"); env != nullptr && *env != '\0') {
      env_file = env;
    } else {
      // No ctest fixture: start a private nginx for this process.
      std::string cmd = source_dir() + "/tools/nginx start";
      FILE *p = popen(cmd.c_str(), "r");
      char buf[4096] = {0};
      std::string dir;
      if (p != nullptr) {
        while (fgets(buf, sizeof buf, p) != nullptr)
          dir += buf;
        pclose(p);
      }
      while (!dir.empty() && (dir.back() == '\n' || dir.back() == '\r'))
        dir.pop_back();
      if (dir.empty())
        throw std::runtime_error("tools/nginx start failed");
      env_file = dir + "/nginx.env";
      static std::string stop = source_dir() + "/tools/nginx stop " + dir;
      std::atexit([] { (void)std::system(stop.c_str()); });
    }
    std::map<std::string, std::string> out;
    std::ifstream in(env_file);
    if (!in)
      throw std::runtime_error("cannot read " + env_file);
    for (std::string line; std::getline(in, line);) {
      size_t eq = line.find('=');
      if (eq != std::string::npos)
        out[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return out;
  }();
  return facts;
}

} // namespace seam_test
