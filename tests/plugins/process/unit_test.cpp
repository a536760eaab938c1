// unit_test.cpp - the process plugin's pieces without seam: the output ring,
// signal names, ${port.NAME} in configs, spawn (process groups, no inherited
// fds), run_command's deadline, and the reaper outliving a killed parent.
#include "config.hpp"
#include "output_log.hpp"
#include "reaper.hpp"
#include "run_command.hpp"
#include "service.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <dirent.h>
#include <fcntl.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace seam_process;
using namespace std::chrono_literals;

namespace {

command_spec sh(const std::string &line) {
  command_spec s;
  s.argv = {"/bin/sh", "-c", line};
  s.env = current_environment();
  s.grace_ms = 1000;
  return s;
}

run_result run(const command_spec &spec, std::chrono::milliseconds limit = 20s,
               const std::string &input = "") {
  return run_command(spec, input, clock::now() + limit, nullptr, 1 << 20);
}

// True while a live process (not a zombie: orphans' zombies may never be
// reaped where PID 1 does not reap) is in process group pgid.
bool group_live(pid_t pgid) {
  DIR *proc = opendir("/proc");
  bool live = false;
  while (dirent *d = proc ? readdir(proc) : nullptr) {
    std::string stat_path = std::string("/proc/") + d->d_name + "/stat";
    FILE *f = std::fopen(stat_path.c_str(), "r");
    if (f == nullptr)
      continue;
    char buf[512] = {};
    size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    std::string stat(buf, n);
    size_t paren = stat.rfind(')');
    if (paren == std::string::npos)
      continue;
    char state = 0;
    int ppid = 0, pgrp = 0;
    if (std::sscanf(stat.c_str() + paren + 1, " %c %d %d", &state, &ppid, &pgrp) == 3 &&
        pgrp == pgid && state != 'Z')
      live = true;
  }
  if (proc)
    closedir(proc);
  return live;
}

// Waits (with a deadline) until no live process of group pgid is left.
bool group_gone(pid_t pgid, std::chrono::seconds limit = 10s) {
  auto until = clock::now() + limit;
  while (clock::now() < until) {
    if (!group_live(pgid))
      return true;
    usleep(10000);
  }
  return false;
}

} // namespace

TEST(OutputLog, KeepsTheLatestBytesAndMarksOffsets) {
  output_log log(8);
  log.append("abcdef", 6);
  EXPECT_EQ(log.mark(), 6u);
  EXPECT_EQ(log.since(2).text, "cdef");
  log.append("ghijk", 5); // 11 bytes written, 8 kept: "defghijk"
  auto all = log.since(0);
  EXPECT_EQ(all.text, "defghijk");
  EXPECT_TRUE(all.truncated);
  EXPECT_EQ(all.from, 3u);
  EXPECT_EQ(all.to, 11u);
  auto later = log.since(9);
  EXPECT_EQ(later.text, "jk");
  EXPECT_FALSE(later.truncated);
  log.append("0123456789ABC", 13); // longer than the ring
  EXPECT_EQ(log.since(0).text, "56789ABC");
  EXPECT_EQ(log.mark(), 24u);
}

TEST(OutputLog, TailAndLines) {
  output_log log(1024);
  std::string text = "one\ntwo\nthree\nfour\n";
  log.append(text.data(), text.size());
  EXPECT_EQ(log.tail(2), "three\nfour");
  EXPECT_EQ(split_lines("a\nb\nc"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(split_lines("a\n\nb\n"), (std::vector<std::string>{"a", "", "b"}));
}

TEST(Signals, NamesAndNumbers) {
  EXPECT_EQ(parse_signal("TERM"), SIGTERM);
  EXPECT_EQ(parse_signal("SIGKILL"), SIGKILL);
  EXPECT_EQ(parse_signal("int"), SIGINT);
  EXPECT_EQ(parse_signal("9"), 9);
  EXPECT_FALSE(parse_signal("NOPE"));
  EXPECT_FALSE(parse_signal("999"));
  EXPECT_EQ(signal_name(SIGSTOP), "STOP");
}

TEST(Config, PortsAreSubstitutedAndUndeclaredOnesNamed) {
  port_list ports{{"http", 8080}, {"admin", 9090}};
  EXPECT_EQ(substitute_ports("--port=${port.http} --admin ${port.admin} ${HOME}", ports, "x"),
            "--port=8080 --admin 9090 ${HOME}");
  try {
    substitute_ports("${port.db}", ports, "command[2]");
    FAIL() << "no error";
  } catch (const std::exception &e) {
    std::string m = e.what();
    EXPECT_NE(m.find("command[2] uses ${port.db}"), std::string::npos) << m;
    EXPECT_NE(m.find("\"http\", \"admin\""), std::string::npos) << m;
  }
}

TEST(Config, AllocatedPortsAreDistinctAndFree) {
  int a = allocate_port(), b = allocate_port();
  EXPECT_NE(a, b);
  EXPECT_GT(a, 0);
  auto cfg = parse_resource(seam::json::parse(
      R"({"command": ["x", "${port.web}"], "ports": ["web"], "env": {"P": "${port.web}"},
          "ready": [{"tcp": "${port.web}"}, {"log": "up on ${port.web}"}]})"));
  std::string port = std::to_string(cfg.ports[0].second);
  EXPECT_EQ(cfg.spec.argv[1], port);
  EXPECT_EQ(cfg.ready[0].port, cfg.ports[0].second);
  EXPECT_EQ(cfg.ready[1].text, "log matching 'up on " + port + "'");
  bool found = false;
  for (const auto &e : cfg.spec.env)
    found = found || e == "P=" + port;
  EXPECT_TRUE(found);
}

TEST(Spawn, ChildInheritsNoFdOfSeam) {
  // An fd without O_CLOEXEC, as another library might leave one.
  int leaky = open("/dev/null", O_RDONLY);
  ASSERT_GE(leaky, 3);
  auto r = run(sh("ls /proc/$$/fd"));
  close(leaky);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "0\n1\n2\n");
}

TEST(Spawn, CommandRunsInItsOwnProcessGroup) {
  auto r = run(sh("ps -o pgid= -p $$; echo $$"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(std::stoi(lines[0]), std::stoi(lines[1]));
  EXPECT_NE(std::stoi(lines[0]), getpgrp());
}

TEST(Spawn, MissingCommandIsAClearError) {
  command_spec s;
  s.argv = {"no-such-command-seam"};
  s.env = current_environment();
  try {
    run(s);
    FAIL() << "no error";
  } catch (const std::exception &e) {
    EXPECT_NE(std::string(e.what()).find("'no-such-command-seam' not found in PATH"),
              std::string::npos)
        << e.what();
  }
}

TEST(RunCommand, StdinStdoutStderrAndExitCode) {
  auto r = run(sh("cat; echo oops >&2; exit 3"), 20s, "hello\n");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "hello\n");
  EXPECT_EQ(r.err, "oops\n");
  EXPECT_FALSE(r.timed_out);
}

TEST(RunCommand, TheDeadlineKillsTheWholeGroup) {
  // The shell's child would keep running if only the shell were killed.
  auto r = run(sh("sleep 300 & echo $!; wait"), 300ms);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, SIGKILL);
  pid_t grandchild = std::stoi(r.out);
  EXPECT_TRUE(group_gone(getpgid(grandchild) > 0 ? getpgid(grandchild) : grandchild));
}

TEST(Service, StopEscalatesToKillAfterTheGrace) {
  service svc(sh("trap '' TERM; echo up; while :; do sleep 0.05; done"), 4096);
  svc.start();
  pid_t pid = svc.get_status().pid;
  auto until = clock::now() + 10s;
  while (svc.log().since(0).text.find("up") == std::string::npos && clock::now() < until)
    svc.log().wait_past(svc.log().mark(), clock::now() + 100ms);
  auto t0 = clock::now();
  svc.stop(200ms);
  EXPECT_GE(clock::now() - t0, 200ms);
  auto st = svc.get_status();
  EXPECT_EQ(st.state, "exited");
  EXPECT_EQ(st.signal, SIGKILL);
  EXPECT_TRUE(st.by_seam);
  EXPECT_TRUE(group_gone(pid));
}

TEST(Reaper, KillsTheGroupsOfAProcessThatDiedWithSigkill) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t parent = fork();
  ASSERT_GE(parent, 0);
  if (parent == 0) {
    // A stand-in for seam: starts a service, reports its group, then dies
    // without any chance to clean up.
    close(fds[0]);
    try {
      command_spec s = sh("trap '' TERM; sleep 300");
      s.grace_ms = 300;
      service *svc = new service(s, 4096); // never destroyed: SIGKILL comes first
      svc->start();
      pid_t pgid = svc->get_status().pid;
      if (write(fds[1], &pgid, sizeof pgid) != sizeof pgid)
        _exit(2);
    } catch (...) {
      _exit(3);
    }
    for (;;)
      pause();
  }
  close(fds[1]);
  pid_t pgid = 0;
  ASSERT_EQ(read(fds[0], &pgid, sizeof pgid), static_cast<ssize_t>(sizeof pgid));
  close(fds[0]);
  ASSERT_TRUE(group_live(pgid));
  kill(parent, SIGKILL);
  waitpid(parent, nullptr, 0);
  // The group ignores SIGTERM: gone only because the reaper sent SIGKILL
  // after the grace.
  EXPECT_TRUE(group_gone(pgid));
}

namespace {

std::vector<std::string> fds_of(const std::string &pid) {
  std::vector<std::string> fds;
  DIR *d = opendir(("/proc/" + pid + "/fd").c_str());
  while (dirent *e = d ? readdir(d) : nullptr)
    if (e->d_name[0] != '.')
      fds.emplace_back(e->d_name);
  if (d)
    closedir(d);
  return fds;
}

} // namespace

TEST(Reaper, HoldsNothingButItsSocket) {
  run(sh("true")); // the reaper exists from the first command on
  pid_t reaper = reaper_pid();
  ASSERT_GT(reaper, 0);
  // The forked reaper closes what it inherited once it runs, which on a
  // busy machine may be after this looks: wait for it, with a deadline.
  auto fds = fds_of(std::to_string(reaper));
  for (auto until = clock::now() + 60s; fds.size() != 1 && clock::now() < until;
       fds = fds_of(std::to_string(reaper)))
    std::this_thread::sleep_for(1ms);
  EXPECT_EQ(fds.size(), 1u) << "the reaper must not keep seam's pipes, terminal or sockets open";
}

TEST(Service, LeavesNoFdBehindInSeam) {
  run(sh("true"));
  size_t before = fds_of("self").size();
  for (int i = 0; i < 3; ++i) {
    service svc(sh("echo up; sleep 300"), 4096);
    svc.start();
    run(sh("echo hello; echo err >&2"), 20s, "input");
    svc.stop(1s);
    svc.start(); // again, after the first run ended
    svc.send(SIGKILL);
    svc.wait_exit(clock::now() + 10s, nullptr);
  }
  EXPECT_EQ(fds_of("self").size(), before);
}
