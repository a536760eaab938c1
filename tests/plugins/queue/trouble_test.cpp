// trouble_test.cpp - a broker that misbehaves after it worked: it hangs
// (SIGSTOP of its VM), it blocks publishers (a memory alarm), it drops
// connections (rabbitmqctl close_all_connections). Every step must fail by
// the limit that applies (its `timeout`, the host's deadline, Ctrl-C), with
// a message that says which and what happened, and the resource must work
// again once the broker does. Uses a broker of its own, since it stops it.
//
// No test depends on the machine's speed: the test waits for the broker's
// own state (a consumer registered, an alarm raised, a publisher blocked)
// rather than sleeping, and where a limit must be shown to have ended a
// wait, the other limits are made far longer (minutes) and the bound
// asserted is generous (kSlack): only a wait that ignored the limit, i.e. a
// bug, runs into it.
#include "queue_fixture.hpp"

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

// How much later than its limit a step may end on a loaded machine: far
// more than scheduling ever costs, far less than the limits a step must not
// wait for (kNever).
constexpr auto kSlack = 20s;
constexpr const char *kNever = "600s";

// Polls `ready` (the broker's own view: rabbitmqctl, which takes seconds a
// call on a busy machine) until it holds; false after a deadline no healthy
// broker comes near.
template <class Pred> bool eventually(Pred ready) {
  auto deadline = clock_type::now() + 300s;
  while (!ready()) {
    if (clock_type::now() >= deadline)
      return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

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
    // The alarm is raised by the broker's next memory check.
    if (!eventually([] {
          return contains(rmq->ctl_output("eval 'rabbit_alarm:get_alarms().'"), "memory");
        }))
      throw std::runtime_error("the broker raised no memory alarm within 300s");
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

class QueueTrouble : public queue_fixture {
protected:
  static void SetUpTestSuite() { rmq = new broker(); }
  static void TearDownTestSuite() {
    delete rmq;
    rmq = nullptr;
  }
  std::string broker_url() const override { return rmq->url(); }
  std::string queue_prefix() const override { return "trouble"; }

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
};

TEST_F(QueueTrouble, ABrokerThatHangsDuringAConsumeCostsTheStepItsTimeoutOnly) {
  call_result r;
  auto start = clock_type::now();
  std::thread consumer([&] {
    r = host.run("consume", {{"queue", queue}, {"timeout", "15s"}}, bus);
  });
  // The broker hangs while the step waits on its queue as a consumer: a
  // second connection sees it (queue.depth counts consumers) well within
  // the step's timeout, however busy the machine.
  void *watch = nullptr;
  bool consuming = false;
  if (host.open("watch", {{"url", broker_url()}}, &watch).ok) {
    consuming = eventually([&] {
      auto d = host.run("depth", {{"queue", queue}}, watch);
      return d.ok && d.output.value("consumers", 0) > 0;
    });
    host.close(watch);
  }
  clock_type::duration took;
  {
    paused hang;
    consumer.join();
    took = clock_type::now() - start;
  }
  ASSERT_TRUE(consuming) << "the step never registered as a consumer";
  EXPECT_FALSE(r.ok);
  EXPECT_GE(took, 15s);
  // Its own timeout ended it (the message says so), not a hang.
  EXPECT_LT(took, 15s + kSlack);
  EXPECT_EQ(r.error.rfind("timed out after 15s waiting for 1 message on queue \"" + queue +
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
  EXPECT_LT(took, 1s + kSlack);
  EXPECT_NE(p.error.find("(default exchange): the broker did not confirm the message within 1s "
                         "(resource \"bus\""),
            std::string::npos)
      << p.error;

  // That connection is given up; a new one gets no AMQP handshake. Since the
  // broker answered before, the message says so (it is no wrong URL).
  auto d = timed("depth", {{"queue", queue}, {"timeout", "1s"}}, took);
  EXPECT_FALSE(d.ok);
  EXPECT_LT(took, 1s + kSlack);
  EXPECT_EQ(d.error.rfind("cannot reach the broker again: 127.0.0.1:", 0), 0u) << d.error;
  EXPECT_NE(d.error.find("accepted the connection but did not answer the AMQP handshake within "
                         "1s (resource \"bus\""),
            std::string::npos)
      << d.error;
  EXPECT_NE(d.error.find("It answered before"), std::string::npos) << d.error;
  EXPECT_EQ(d.error.find("AMQP 0-9-1 broker"), std::string::npos) << d.error;

  // The host's deadline (far shorter than `timeout`) bounds the wait the
  // same way; the host then names the duration, so the message does not.
  auto q = timed("purge", {{"queue", queue}, {"timeout", kNever}}, took, 800);
  EXPECT_FALSE(q.ok);
  EXPECT_GE(took, 800ms);
  EXPECT_LT(took, 800ms + kSlack);
  // The plugin sees the deadline pass either in its own wait or as the
  // host's cancellation, whichever it looks at first.
  EXPECT_TRUE(contains(q.error, "did not answer the AMQP handshake (resource") ||
              contains(q.error, ": cancelled"))
      << q.error;
  EXPECT_FALSE(contains(q.error, "within")) << q.error;
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
  // Waiting for a message (cancelled 300ms in; its timeout is minutes away).
  auto c = timed("consume", {{"queue", queue}, {"timeout", kNever}}, took, -1, 300);
  EXPECT_FALSE(c.ok);
  EXPECT_LT(took, 300ms + kSlack);
  EXPECT_TRUE(works());

  paused hang;
  // Waiting for a confirm.
  auto p = timed("publish", {{"queue", queue}, {"body", "x"}, {"timeout", kNever}}, took, -1, 300);
  EXPECT_FALSE(p.ok);
  EXPECT_LT(took, 300ms + kSlack);
  // Ctrl-C, not the step's `timeout`, ended the wait.
  EXPECT_TRUE(contains(p.error, "cancelled")) << p.error;
  EXPECT_FALSE(contains(p.error, "within")) << p.error;
  // Waiting for the AMQP handshake of a new connection.
  auto d = timed("depth", {{"queue", queue}, {"timeout", kNever}}, took, -1, 300);
  EXPECT_FALSE(d.ok);
  EXPECT_LT(took, 300ms + kSlack);
  EXPECT_NE(d.error.find("cancelled"), std::string::npos) << d.error;
}

TEST_F(QueueTrouble, ABrokerBlockingPublishersIsNamed) {
  {
    memory_alarm alarm;
    clock_type::duration took;
    // Long enough for the broker's connection.blocked to arrive on a busy
    // machine; the step then names it when its timeout ends the wait.
    auto p = timed("publish", {{"queue", queue}, {"body", "x"}, {"timeout", "5s"}}, took);
    EXPECT_FALSE(p.ok);
    EXPECT_LT(took, 5s + kSlack);
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
    std::thread publisher([&] {
      r = host.run("publish", {{"queue", queue}, {"body", "x"}, {"timeout", kNever}}, bus);
    });
    // The broker holds the publish: its connection is "blocked".
    bool held =
        eventually([] { return contains(rmq->ctl_output("list_connections state"), "blocked"); });
    auto closing = clock_type::now();
    rmq->ctl("close_all_connections 'seam test closes it'");
    publisher.join();
    ASSERT_TRUE(held) << "the broker never blocked the publisher";
    // The dropped connection ended it, not its timeout (kNever): rabbitmqctl
    // itself may take seconds on a busy machine.
    EXPECT_LT(clock_type::now() - closing, 120s);
  }
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("(default exchange) failed: the broker closed the connection: "
                         "CONNECTION_FORCED - seam test closes it (resource \"bus\""),
            std::string::npos)
      << r.error;
  EXPECT_TRUE(works());
}

} // namespace
