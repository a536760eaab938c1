// queue_host.hpp - the queue tests' fixture over the SDK's stand-in host
// (seam/testing.hpp), for driving the queue plugin through its C ABI where a
// suite cannot reach: several threads on one resource, a broker restarted
// between or during steps. Also starts private RabbitMQ brokers with
// tools/rabbitmq.
#pragma once

#include <seam/testing.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace queue_test {

using json = nlohmann::json;

// What one call produced.
struct call_result {
  bool ok = false;
  json output;
  std::string error;
  bool unavailable = false; // the call returned SEAM_UNAVAILABLE
  std::vector<std::string> secrets;
};

class plugin_host {
public:
  // Loads seam-queue.so ($SEAM_QUEUE_PLUGIN or the path CMake compiled in).
  plugin_host();

  // Runs queue.STEP; deadline_ms < 0: no host deadline. cancel_after_ms
  // >= 0: the host is cancelled (Ctrl-C) that long after the call starts.
  call_result run(const std::string &step, const json &input, void *resource, long deadline_ms = -1,
                  long cancel_after_ms = -1) const;
  call_result open(const std::string &name, const json &config, void **handle) const;
  void close(void *handle) const;

private:
  call_result convert(seam::testing::result r, size_t secrets_before) const;
  // The SDK's host is not const (it records); this fixture's calls are.
  mutable seam::testing::host host_;
};

// A private broker from tools/rabbitmq in its own temporary directory.
class broker {
public:
  broker();  // starts it; throws when it does not start
  ~broker(); // stops it
  broker(const broker &) = delete;
  broker &operator=(const broker &) = delete;

  const std::string &url() const { return url_; }
  void stop();
  void start();
  // The broker's Erlang VM: kill(SIGSTOP) makes it hang (this returns once
  // every thread of it has stopped), SIGCONT resumes it.
  void signal(int sig) const;
  // rabbitmqctl ARGS against this broker; throws when it fails.
  void ctl(const std::string &args) const;
  // The same, returning what it printed.
  std::string ctl_output(const std::string &args) const;

private:
  void tool(const std::string &command) const;
  std::string dir_, url_;
};

// The URL of the suite-wide broker: $SEAM_TEST_RABBITMQ_DIR/url when a ctest
// fixture started one, else a broker started for this process.
std::string shared_url();

// A name unique to this process and call, for queues.
std::string unique(const std::string &prefix);

} // namespace queue_test
