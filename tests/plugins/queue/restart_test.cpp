// restart_test.cpp - a broker that goes away: a step in flight fails with the
// broker's reason, and the resource reconnects on the next step. Uses a
// broker of its own, since it restarts it.
#include "queue_host.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace {

using namespace queue_test;
using namespace std::chrono_literals;

TEST(QueueRestart, ReconnectsAfterARestartAndFailsTheStepInFlight) {
  broker rmq;
  plugin_host host;
  void *bus = nullptr;
  std::string queue = unique("restart");
  // Durable, so that it and its persistent messages outlive the restart.
  auto r = host.open("bus", {{"url", rmq.url()}, {"declare", {{{"queue", queue}}}}}, &bus);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_TRUE(host.run("publish",
                       {{"queue", queue}, {"json", 1}, {"properties", {{"persistent", true}}}}, bus)
                  .ok);

  // Stopped and started between steps: the pooled connection is dead; the
  // next step notices and reconnects.
  rmq.stop();
  auto down = host.run("depth", {{"queue", queue}}, bus);
  EXPECT_FALSE(down.ok);
  EXPECT_NE(down.error.find("cannot reach the broker again: cannot connect to"), std::string::npos)
      << down.error;
  EXPECT_NE(down.error.find("connection refused"), std::string::npos) << down.error;
  rmq.start();
  auto depth = host.run("depth", {{"queue", queue}}, bus);
  ASSERT_TRUE(depth.ok) << depth.error;
  EXPECT_EQ(depth.output["messages"], 1);

  // A step in flight when the broker shuts down fails with its reason.
  ASSERT_TRUE(host.run("consume", {{"queue", queue}}, bus).ok);
  call_result waiting;
  std::thread consumer([&] {
    waiting = host.run("consume", {{"queue", queue}, {"timeout", "600s"}}, bus);
  });
  // The broker stops while the step waits on the queue as its consumer.
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (rmq.ctl_output("list_consumers").find(queue) == std::string::npos &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  auto stopped_at = std::chrono::steady_clock::now();
  rmq.stop();
  consumer.join();
  EXPECT_FALSE(waiting.ok);
  EXPECT_NE(waiting.error.find("the broker closed the connection: CONNECTION_FORCED"),
            std::string::npos)
      << waiting.error;
  EXPECT_NE(waiting.error.find("shutdown"), std::string::npos) << waiting.error;
  // The shutdown ended it, not its timeout.
  EXPECT_LT(std::chrono::steady_clock::now() - stopped_at, 300s);

  rmq.start();
  auto after = host.run("publish", {{"queue", queue}, {"json", 2}}, bus);
  EXPECT_TRUE(after.ok) << after.error;
  auto got = host.run("consume", {{"queue", queue}}, bus);
  ASSERT_TRUE(got.ok) << got.error;
  EXPECT_EQ(got.output["messages"][0]["json"], 2);
  host.run("delete", {{"queue", queue}}, bus);
  host.close(bus);
}

} // namespace
