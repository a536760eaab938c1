// trouble_test.cpp - a broker that misbehaves after it worked: it hangs
// (SIGSTOP of its VM), it blocks publishers (a memory alarm), it drops
// connections (rabbitmqctl close_all_connections). Every step must fail
// within its deadline, with a message that says what happened, and the
// resource must work again once the broker does. Uses a broker of its own,
// since it stops it.
#include "queue_host.hpp"

#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <memory>
#include <thread>

namespace {

using namespace queue_test;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

broker *rmq = nullptr;

// The broker hangs while this lives (also when an assertion fails).
class paused {
public:
  paused() { rmq->signal(SIGSTOP); }
  ~paused() { rmq->signal(SIGCONT); }
  paused(const paused &) = delete;
  paused &operator=(const paused &) = delete;
};

// The broker blocks publishers (a memory alarm) while this lives.
class memory_alarm {
public:
  memory_alarm() {
    rmq->ctl("set_vm_memory_high_watermark 0");
    std::this_thread::sleep_for(300ms); // the alarm is raised by the next check
  }
  ~memory_alarm() {
    try {
      rmq->ctl("set_vm_memory_high_watermark 0.4");
    } catch (...) {
    }
  }
  memory_alarm(const memory_alarm &) = delete;
  memory_alarm &operator=(const memory_alarm &) = delete;
};

class QueueTrouble : public ::testing::Test {
protected:
  static void SetUpTestSuite() { rmq = new broker(); }
  static void TearDownTestSuite() {
    delete rmq;
    rmq = nullptr;
  }
  void SetUp() override {
    auto r = host.open("bus", {{"url", rmq->url()}}, &bus);
    ASSERT_TRUE(r.ok) << r.error;
    queue = unique("trouble");
    auto d = host.run("declare", {{"queue", queue}, {"durable", false}}, bus);
    ASSERT_TRUE(d.ok) << d.error;
  }
  void TearDown() override {
    if (bus != nullptr) {
      host.run("delete", {{"queue", queue}}, bus);
      host.close(bus);
    }
  }

  // Runs a step and says how long it took.
  call_result timed(const std::string &step, const json &input, clock_type::duration &took,
                    long deadline_ms = -1, long cancel_after_ms = -1) {
    auto start = clock_type::now();
    auto r = host.run(step, input, bus, deadline_ms, cancel_after_ms);
    took = clock_type::now() - start;
    return r;
  }

  bool works() {
    auto r = host.run("depth", {{"queue", queue}}, bus);
    EXPECT_TRUE(r.ok) << r.error;
    return r.ok;
  }

  plugin_host host;
  void *bus = nullptr;
  std::string queue;
};

TEST_F(QueueTrouble, ABrokerThatHangsDuringAConsumeCostsTheStepItsTimeoutOnly) {
  call_result r;
  auto start = clock_type::now();
  std::thread consumer([&] {
    r = host.run("consume", {{"queue", queue}, {"timeout", "1s"}}, bus);
  });
  std::this_thread::sleep_for(300ms); // the consumer waits by now
  clock_type::duration took;
  {
    paused hang;
    consumer.join();
    took = clock_type::now() - start;
  }
  EXPECT_FALSE(r.ok);
  EXPECT_GE(took, 1s);
  EXPECT_LT(took, 1500ms);
  EXPECT_EQ(r.error.rfind("timed out after 1s waiting for 1 message on queue \"" + queue +
                              "\": 0 messages arrived. The broker then did not answer when the "
                              "step stopped consuming (resource \"bus\"",
                          0),
            0u)
      << r.error;
  EXPECT_NE(r.error.find("overloaded, paused or failing"), std::string::npos) << r.error;
  EXPECT_TRUE(works()) << "the resource reconnects once the broker runs again";
}

TEST_F(QueueTrouble, EveryStepAgainstAHungBrokerFailsInTime) {
  ASSERT_TRUE(works()); // a pooled connection that worked
  paused hang;
  clock_type::duration took;

  auto p = timed("publish", {{"queue", queue}, {"body", "x"}, {"timeout", "1s"}}, took);
  EXPECT_FALSE(p.ok);
  EXPECT_LT(took, 1500ms);
  EXPECT_NE(p.error.find("(default exchange): the broker did not confirm the message within 1s "
                         "(resource \"bus\""),
            std::string::npos)
      << p.error;

  // That connection is given up; a new one gets no AMQP handshake. Since the
  // broker answered before, the message says so (it is no wrong URL).
  auto d = timed("depth", {{"queue", queue}, {"timeout", "1s"}}, took);
  EXPECT_FALSE(d.ok);
  EXPECT_LT(took, 1500ms);
  EXPECT_EQ(d.error.rfind("cannot reach the broker again: 127.0.0.1:", 0), 0u) << d.error;
  EXPECT_NE(d.error.find("accepted the connection but did not answer the AMQP handshake within "
                         "1s (resource \"bus\""),
            std::string::npos)
      << d.error;
  EXPECT_NE(d.error.find("It answered before"), std::string::npos) << d.error;
  EXPECT_EQ(d.error.find("AMQP 0-9-1 broker"), std::string::npos) << d.error;

  // The host's deadline (shorter than `timeout`) bounds the wait the same
  // way; the host then names the duration, so the message does not.
  auto q = timed("purge", {{"queue", queue}, {"timeout", "5s"}}, took, 800);
  EXPECT_FALSE(q.ok);
  EXPECT_GE(took, 800ms);
  EXPECT_LT(took, 1300ms);
  EXPECT_NE(q.error.find("did not answer the AMQP handshake (resource"), std::string::npos)
      << q.error;
}

TEST_F(QueueTrouble, TheResourceWorksAgainAfterTheBrokerResumes) {
  {
    paused hang;
    clock_type::duration took;
    auto d = timed("depth", {{"queue", queue}, {"timeout", "500ms"}}, took);
    EXPECT_FALSE(d.ok);
    EXPECT_NE(d.error.find("look up queue \"" + queue +
                           "\": the broker did not answer within "
                           "500ms"),
              std::string::npos)
        << d.error;
  }
  auto p = host.run("publish", {{"queue", queue}, {"json", 1}}, bus);
  ASSERT_TRUE(p.ok) << p.error;
  auto c = host.run("consume", {{"queue", queue}}, bus);
  ASSERT_TRUE(c.ok) << c.error;
  EXPECT_EQ(c.output["messages"][0]["json"], 1);
}

TEST_F(QueueTrouble, CtrlCCutsEveryWaitShort) {
  clock_type::duration took;
  // Waiting for a message.
  auto c = timed("consume", {{"queue", queue}, {"timeout", "20s"}}, took, -1, 300);
  EXPECT_FALSE(c.ok);
  EXPECT_LT(took, 800ms);
  EXPECT_TRUE(works());

  paused hang;
  // Waiting for a confirm.
  auto p = timed("publish", {{"queue", queue}, {"body", "x"}, {"timeout", "20s"}}, took, -1, 300);
  EXPECT_FALSE(p.ok);
  EXPECT_LT(took, 800ms);
  // Waiting for the AMQP handshake of a new connection.
  auto d = timed("depth", {{"queue", queue}, {"timeout", "20s"}}, took, -1, 300);
  EXPECT_FALSE(d.ok);
  EXPECT_LT(took, 800ms);
  EXPECT_NE(d.error.find("cancelled"), std::string::npos) << d.error;
}

TEST_F(QueueTrouble, ABrokerBlockingPublishersIsNamed) {
  {
    memory_alarm alarm;
    clock_type::duration took;
    auto p = timed("publish", {{"queue", queue}, {"body", "x"}, {"timeout", "1s"}}, took);
    EXPECT_FALSE(p.ok);
    EXPECT_LT(took, 1500ms);
    EXPECT_NE(p.error.find("(default exchange): the broker is blocking publishers "
                           "(connection.blocked: low on memory; resource \"bus\""),
              std::string::npos)
        << p.error;
    EXPECT_NE(p.error.find("memory or disk alarm"), std::string::npos) << p.error;
    EXPECT_EQ(p.error.find("timeout"), std::string::npos) << "no advice to wait longer";
  }
  // Once the alarm clears, publishing works again (and the message that
  // waited reached the queue).
  auto p = host.run("publish", {{"queue", queue}, {"body", "y"}}, bus);
  EXPECT_TRUE(p.ok) << p.error;
}

TEST_F(QueueTrouble, APublishInFlightFailsWithTheReasonWhenTheConnectionDrops) {
  call_result r;
  {
    memory_alarm alarm; // holds the publish before its confirm
    auto start = clock_type::now();
    std::thread publisher([&] {
      r = host.run("publish", {{"queue", queue}, {"body", "x"}, {"timeout", "20s"}}, bus);
    });
    std::this_thread::sleep_for(500ms);
    rmq->ctl("close_all_connections 'seam test closes it'");
    publisher.join();
    EXPECT_LT(clock_type::now() - start, 10s);
  }
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("(default exchange) failed: the broker closed the connection: "
                         "CONNECTION_FORCED - seam test closes it (resource \"bus\""),
            std::string::npos)
      << r.error;
  EXPECT_TRUE(works());
}

} // namespace
