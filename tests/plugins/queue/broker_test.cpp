// broker_test.cpp - the queue plugin through its C ABI against a real
// RabbitMQ: what suites cannot express (threads, a publish during a wait,
// host deadlines) and the resource's open errors.
#include "queue_fixture.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>
#include <vector>

namespace {

using namespace queue_test;
using namespace std::chrono_literals;

class QueueBroker : public queue_fixture {
protected:
  std::string broker_url() const override { return shared_url(); }
  std::string queue_prefix() const override { return "broker-test"; }
};

TEST_F(QueueBroker, ConsumeGetsAMessagePublishedWhileItWaits) {
  auto start = std::chrono::steady_clock::now();
  std::thread publisher([&] {
    std::this_thread::sleep_for(300ms);
    auto r = host.run("publish", {{"queue", queue}, {"json", {{"late", true}}}}, bus);
    EXPECT_TRUE(r.ok) << r.error;
  });
  auto r = host.run("consume", {{"queue", queue}, {"timeout", "600s"}}, bus);
  publisher.join();
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output["messages"][0]["json"]["late"], true);
  // It returned with the message, not at its timeout.
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, 250ms);
  EXPECT_LT(waited, 60s);
}

TEST_F(QueueBroker, TheHostDeadlineCutsAWaitShort) {
  auto start = std::chrono::steady_clock::now();
  auto r = host.run("consume", {{"queue", queue}, {"timeout", "600s"}}, bus, 400);
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(r.ok);
  // The host reports the time-out with its own figure ("timed out after
  // 400ms (...)"): the plugin says what it waited for, with no duration.
  EXPECT_EQ(r.error, "waiting for 1 message on queue \"" + queue +
                         "\": 0 messages arrived. Every message was left in the queue.");
  // It returns once the host's deadline has passed, so the host sees a
  // time-out, and long before its own `timeout` (however busy the machine).
  EXPECT_GE(waited, 400ms);
  EXPECT_LT(waited, 60s);
  // The connection is fine afterwards.
  auto p = host.run("publish", {{"queue", queue}, {"body", "after"}}, bus);
  EXPECT_TRUE(p.ok) << p.error;
}

TEST_F(QueueBroker, TheStepsOwnTimeoutIsQuotedAsConfigured) {
  // The host allows more than the step's timeout: the plugin reports it.
  auto r = host.run("consume", {{"queue", queue}, {"timeout", "300ms"}}, bus, 60000);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.rfind("timed out after 300ms waiting for 1 message on queue", 0), 0u)
      << r.error;
  // Publish waits for a confirm; a host deadline shorter than `timeout`
  // shows up in no message about it.
  auto p = host.run("publish", {{"queue", queue}, {"body", "x"}, {"timeout", "600s"}}, bus, 60000);
  EXPECT_TRUE(p.ok) << p.error;
}

TEST_F(QueueBroker, ParallelStepsOnOneResourceSeeOnlyTheirOwnMessages) {
  // Four "tests" at once on the one resource, each on its own queue.
  constexpr int workers = 4, per_worker = 25;
  std::vector<std::string> queues;
  for (int w = 0; w < workers; ++w) {
    queues.push_back(unique("parallel"));
    ASSERT_TRUE(host.run("declare", {{"queue", queues.back()}, {"durable", false}}, bus).ok);
  }
  std::vector<std::string> failures(workers);
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < per_worker; ++i) {
        auto r = host.run("publish", {{"queue", queues[w]}, {"json", {{"w", w}, {"i", i}}}}, bus);
        if (!r.ok) {
          failures[w] = r.error;
          return;
        }
      }
      auto r = host.run("consume",
                        {{"queue", queues[w]}, {"count", per_worker}, {"timeout", "10s"}}, bus);
      if (!r.ok) {
        failures[w] = r.error;
        return;
      }
      for (int i = 0; i < per_worker; ++i) {
        const auto &m = r.output["messages"][i]["json"];
        if (m["w"] != w || m["i"] != i)
          failures[w] = "message " + std::to_string(i) + " was " + m.dump();
      }
    });
  }
  for (auto &t : threads)
    t.join();
  for (int w = 0; w < workers; ++w) {
    EXPECT_EQ(failures[w], "") << "worker " << w;
    auto d = host.run("depth", {{"queue", queues[w]}}, bus);
    EXPECT_EQ(d.output["messages"], 0);
    host.run("delete", {{"queue", queues[w]}}, bus);
  }
}

TEST_F(QueueBroker, ManyMessagesInOneConsume) {
  for (int i = 0; i < 300; ++i)
    ASSERT_TRUE(host.run("publish", {{"queue", queue}, {"json", i}}, bus).ok);
  auto all = host.run("consume", {{"queue", queue}, {"count", 300}}, bus);
  ASSERT_TRUE(all.ok) << all.error;
  EXPECT_EQ(all.output["count"], 300);
  EXPECT_EQ(all.output["messages"][299]["json"], 299);
  EXPECT_EQ(host.run("depth", {{"queue", queue}}, bus).output["messages"], 0);
}

TEST_F(QueueBroker, MatchingLooksPastManyOthers) {
  for (int i = 0; i < 100; ++i)
    ASSERT_TRUE(host.run("publish",
                         {{"queue", queue}, {"json", {{"k", i % 10 == 9 ? "hit" : "miss"}}}}, bus)
                    .ok);
  auto r =
      host.run("consume", {{"queue", queue}, {"count", 10}, {"match", {{"json.k", "hit"}}}}, bus);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output["count"], 10);
  EXPECT_EQ(r.output["skipped"], 90);
  EXPECT_EQ(host.run("depth", {{"queue", queue}}, bus).output["messages"], 90);
}

// RabbitMQ requeues nacked messages asynchronously, and answers a
// queue.depth (a queue.declare) ahead of pending work: a depth right after a
// consume must still count every message that consume put back. consume
// therefore closes its channel, which the broker answers only once it has
// requeued. The race needs the queue to be busy when the step settles:
// acknowledging many messages one by one (those that matched) keeps it so.
TEST_F(QueueBroker, MessagesPutBackAreCountedByTheVeryNextStep) {
  constexpr int n = 2000;
  for (int i = 0; i < n; ++i)
    ASSERT_TRUE(
        host.run("publish", {{"queue", queue}, {"json", {{"k", i % 2 == 1 ? "hit" : "miss"}}}}, bus)
            .ok);
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    // A peek at everything: all of it goes back.
    auto peek = host.run("consume", {{"queue", queue}, {"count", n}, {"ack", false}}, bus);
    ASSERT_TRUE(peek.ok) << peek.error;
    EXPECT_EQ(host.run("depth", {{"queue", queue}}, bus).output["messages"], n);
    // A consume that times out takes nothing.
    auto late =
        host.run("consume", {{"queue", queue}, {"count", n + 1}, {"timeout", "300ms"}}, bus);
    ASSERT_FALSE(late.ok);
    EXPECT_EQ(host.run("depth", {{"queue", queue}}, bus).output["messages"], n);
  }
  // Matching keeps what it looks for and puts the rest back, the misses
  // among them; each round acknowledges its hits one by one.
  for (int round = 1; round <= 4; ++round) {
    SCOPED_TRACE("match round " + std::to_string(round));
    auto hits = host.run("consume",
                         {{"queue", queue}, {"count", n / 8}, {"match", {{"json.k", "hit"}}}}, bus);
    ASSERT_TRUE(hits.ok) << hits.error;
    EXPECT_EQ(hits.output["count"], n / 8);
    EXPECT_EQ(host.run("depth", {{"queue", queue}}, bus).output["messages"], n - round * n / 8);
  }
}

TEST(QueueOpen, WrongPasswordIsClearAndMasked) {
  plugin_host host;
  std::string url = shared_url();
  std::string bad = url;
  bad.replace(bad.find(":guest@"), 7, ":Wr0ngPa55@");
  void *bus = nullptr;
  auto r = host.open("bus", {{"url", bad}}, &bus);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(bus, nullptr);
  EXPECT_NE(r.error.find("resource \"bus\""), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("ACCESS_REFUSED"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("Check the user and password"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("guest:***@"), std::string::npos) << r.error;
  EXPECT_EQ(r.error.find("Wr0ngPa55"), std::string::npos) << r.error;
  EXPECT_FALSE(r.unavailable) << r.error;
  ASSERT_EQ(r.secrets.size(), 1u);
  EXPECT_EQ(r.secrets[0], "Wr0ngPa55");
}

TEST(QueueOpen, UnknownVhostIsExplained) {
  plugin_host host;
  std::string url = shared_url();
  url = url.substr(0, url.rfind('/')) + "/no-such-vhost";
  void *bus = nullptr;
  auto r = host.open("bus", {{"url", url}}, &bus);
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.error.find("NOT_ALLOWED"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("Check the vhost"), std::string::npos) << r.error;
}

TEST(QueueOpen, RefusedConnectionSaysUnavailable) {
  plugin_host host;
  void *bus = nullptr;
  // Port 1 on loopback: nothing listens there.
  auto r = host.open("bus", {{"url", "amqp://guest:hunter2@127.0.0.1:1/%2f"}}, &bus);
  ASSERT_FALSE(r.ok);
  EXPECT_TRUE(r.unavailable) << r.error;
  EXPECT_EQ(r.error.rfind("cannot connect to 127.0.0.1:1: connection refused", 0), 0u) << r.error;
  EXPECT_NE(r.error.find("resource \"bus\""), std::string::npos) << r.error;
  EXPECT_EQ(r.error.find("hunter2"), std::string::npos) << r.error;
}

TEST(QueueOpen, UnresolvableHostSaysUnavailable) {
  plugin_host host;
  void *bus = nullptr;
  auto r = host.open("bus", {{"url", "amqp://guest:guest@no-such-host.invalid:5672/%2f"}}, &bus);
  ASSERT_FALSE(r.ok);
  EXPECT_TRUE(r.unavailable) << r.error;
  EXPECT_EQ(r.error.rfind("cannot connect to no-such-host.invalid:5672: cannot resolve host", 0),
            0u)
      << r.error;
}

TEST(QueueOpen, UnknownSchemeNamesTheKnownOnes) {
  plugin_host host;
  void *bus = nullptr;
  auto r = host.open("bus", {{"url", "kafka://127.0.0.1:9092"}}, &bus);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error, "resource \"bus\": url \"kafka://127.0.0.1:9092\": unknown scheme \"kafka\"; "
                     "the queue plugin speaks amqp://");
}

TEST(QueueOpen, DeclareErrorsNameTheEntry) {
  plugin_host host;
  void *bus = nullptr;
  auto r = host.open("bus",
                     {{"url", shared_url()},
                      {"declare", {{{"queue", unique("d")}, {"bind", {{"exchange", "nope-x"}}}}}}},
                     &bus);
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.error.find("resource \"bus\": declare[0]: bind queue"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("NOT_FOUND - no exchange 'nope-x'"), std::string::npos) << r.error;
}

TEST(QueueOpen, PublishesTheUrl) {
  plugin_host host;
  void *bus = nullptr;
  auto r = host.open("bus", {{"url", shared_url()}}, &bus);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output["url"], shared_url());
  EXPECT_EQ(r.output["scheme"], "amqp");
  host.close(bus);
}

} // namespace
