// ready.cpp - see ready.hpp.
#include "ready.hpp"

#include "run_command.hpp"

#include <curl/curl.h>
#include <re2/re2.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace seam_process {
namespace {

using std::chrono::milliseconds;

bool try_tcp(const ready_check &c, clock::time_point until, std::string *why) {
  addrinfo hints{}, *res = nullptr;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  std::string port = std::to_string(c.port);
  if (int e = getaddrinfo(c.host.c_str(), port.c_str(), &hints, &res); e != 0) {
    *why = gai_strerror(e);
    return false;
  }
  bool ok = false;
  for (addrinfo *a = res; a != nullptr && !ok; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0)
      continue;
    int r = connect(fd, a->ai_addr, a->ai_addrlen);
    if (r != 0 && errno == EINPROGRESS) {
      auto left = std::chrono::duration_cast<milliseconds>(until - clock::now()).count();
      pollfd p{fd, POLLOUT, 0};
      if (poll(&p, 1, static_cast<int>(std::clamp<int64_t>(left, 0, 1000))) == 1) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        r = err == 0 ? 0 : -1;
        errno = err;
      } else {
        errno = ETIMEDOUT;
      }
    }
    if (r == 0)
      ok = true;
    else
      *why = std::strerror(errno);
    close(fd);
  }
  freeaddrinfo(res);
  return ok;
}

size_t discard(char *, size_t size, size_t n, void *) { return size * n; }

bool try_http(const ready_check &c, clock::time_point until, std::string *why) {
  CURL *curl = curl_easy_init();
  if (curl == nullptr) {
    *why = "libcurl cannot make a handle";
    return false;
  }
  auto left = std::chrono::duration_cast<milliseconds>(until - clock::now()).count();
  curl_easy_setopt(curl, CURLOPT_URL, c.url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*"); // the service is local: never a proxy
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(std::clamp<int64_t>(left, 1, 2000)));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &discard);
  CURLcode rc = curl_easy_perform(curl);
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    *why = curl_easy_strerror(rc);
    return false;
  }
  bool ok = c.status != 0 ? code == c.status : code >= 200 && code < 300;
  if (!ok)
    *why = "status " + std::to_string(code);
  return ok;
}

bool try_log(const ready_check &c, service &svc, std::string *why) {
  std::string text = svc.log().since(svc.start_mark()).text;
  if (re2::RE2::PartialMatch(text, *c.regex))
    return true;
  *why = "no such line yet";
  return false;
}

bool try_exec(const ready_check &c, clock::time_point until, seam::context &ctx, std::string *why) {
  run_result r = run_command(
      c.command, "", until, [&] { return ctx.cancelled(); }, 64 * 1024);
  if (r.exit_code && *r.exit_code == 0)
    return true;
  if (r.timed_out)
    *why = "it was still running at the deadline";
  else if (r.exit_code)
    *why = "exit code " + std::to_string(*r.exit_code);
  else if (r.signal)
    *why = "killed by signal " + signal_name(*r.signal);
  std::string err = r.err.empty() ? r.out : r.err;
  while (!err.empty() && (err.back() == '\n' || err.back() == ' '))
    err.pop_back();
  if (!err.empty())
    *why += ": " + err.substr(err.size() > 200 ? err.size() - 200 : 0);
  return false;
}

} // namespace

std::string output_tail(service &svc) {
  std::string tail = svc.log().tail(20);
  if (tail.empty())
    return "\nit printed nothing";
  std::string out = "\nlast output lines:";
  for (const auto &line : split_lines(tail))
    out += "\n  | " + line;
  return out;
}

void wait_ready(service &svc, const std::vector<ready_check> &checks, seam::context &ctx) {
  auto started = clock::now();
  auto call_deadline = clock::time_point::max();
  if (auto left = ctx.remaining())
    call_deadline = started + *left;
  for (const auto &c : checks) {
    auto until = std::min(started + c.timeout, call_deadline);
    std::string why = "not tried";
    milliseconds pause{10};
    for (;;) {
      bool ok = false;
      switch (c.kind) {
      case ready_check::tcp:
        ok = try_tcp(c, until, &why);
        break;
      case ready_check::http:
        ok = try_http(c, until, &why);
        break;
      case ready_check::log:
        ok = try_log(c, svc, &why);
        break;
      case ready_check::exec:
        ok = try_exec(c, until, ctx, &why);
        break;
      }
      if (ok)
        break;
      if (!svc.running()) {
        svc.wait_drained(clock::now() + milliseconds(1000));
        // What it printed before exiting may hold the line a `log` check wants.
        if (c.kind == ready_check::log && try_log(c, svc, &why))
          break;
        throw seam::error("the process " + svc.describe() + " before it was ready (waiting for " +
                          c.text + ": " + why + ")" + output_tail(svc));
      }
      if (ctx.cancelled())
        throw seam::error("cancelled while waiting for " + c.text);
      if (clock::now() >= until) {
        auto waited = std::chrono::duration_cast<milliseconds>(clock::now() - started);
        std::string limit = until == call_deadline && call_deadline < started + c.timeout
                                ? "the step's deadline (" + format_duration(waited) + ")"
                                : format_duration(c.timeout);
        throw seam::error("not ready within " + limit + ": " + c.text + " (" + why +
                          "); the process " + svc.describe() +
                          "; hint: raise the check's `timeout`, or see what the service says" +
                          output_tail(svc));
      }
      auto next = std::min(until, clock::now() + pause);
      if (c.kind == ready_check::log)
        svc.log().wait_past(svc.log().mark(), next); // wakes on new output
      else
        svc.wait_exit(next, [&] { return ctx.cancelled(); });
      pause = std::min(pause * 2, milliseconds(250));
    }
  }
}

} // namespace seam_process
