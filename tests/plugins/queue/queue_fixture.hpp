// queue_fixture.hpp - a GoogleTest fixture for tests of steps on one `bus`
// resource: opened before each test on the broker at broker_url(), with a
// fresh non-durable queue (deleted afterwards).
#pragma once

#include "queue_host.hpp"

#include <gtest/gtest.h>

#include <string>

namespace queue_test {

class queue_fixture : public ::testing::Test {
protected:
  // The AMQP URL of the broker the resource connects to.
  virtual std::string broker_url() const = 0;
  // The prefix of the test's queue name.
  virtual std::string queue_prefix() const = 0;

  void SetUp() override {
    auto r = host.open("bus", {{"url", broker_url()}}, &bus);
    ASSERT_TRUE(r.ok) << r.error;
    queue = unique(queue_prefix());
    auto d = host.run("declare", {{"queue", queue}, {"durable", false}}, bus);
    ASSERT_TRUE(d.ok) << d.error;
  }
  void TearDown() override {
    if (bus != nullptr) {
      host.run("delete", {{"queue", queue}}, bus);
      host.close(bus);
    }
  }

  plugin_host host;
  void *bus = nullptr;
  std::string queue;
};

} // namespace queue_test
