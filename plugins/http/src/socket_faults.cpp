// socket_faults.cpp - see socket_faults.hpp.
#include "socket_faults.hpp"

#include <seam/deadline.hpp>

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

namespace seam::http {

namespace {

bool endpoint(const sockaddr_storage &sa, std::string &addr, int &port) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (sa.ss_family == AF_INET) {
    const auto *in = reinterpret_cast<const sockaddr_in *>(&sa);
    inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf);
    port = ntohs(in->sin_port);
  } else if (sa.ss_family == AF_INET6) {
    const auto *in6 = reinterpret_cast<const sockaddr_in6 *>(&sa);
    inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf);
    port = ntohs(in6->sin6_port);
  } else {
    return false;
  }
  addr = buf;
  return true;
}

// Puts /dev/null in place of fd: the socket's last reference goes, the
// descriptor number stays valid for its owner.
bool detach(int fd) {
  int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0)
    return false;
  bool ok = ::dup2(null_fd, fd) >= 0;
  ::close(null_fd);
  return ok;
}

} // namespace

namespace {

// Calls fn(fd, local_port, peer_addr, peer_port) for each connected TCP socket
// of this process until fn returns true.
template <class Fn> void for_each_connection(Fn fn) {
  DIR *dir = ::opendir("/proc/self/fd");
  if (dir == nullptr)
    return;
  while (dirent *entry = ::readdir(dir)) {
    char *end = nullptr;
    long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == ::dirfd(dir))
      continue;
    struct stat st {};
    if (::fstat(static_cast<int>(fd), &st) != 0 || !S_ISSOCK(st.st_mode))
      continue;
    sockaddr_storage local{}, peer{};
    socklen_t llen = sizeof local, plen = sizeof peer;
    if (::getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr *>(&local), &llen) != 0 ||
        ::getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr *>(&peer), &plen) != 0)
      continue;
    std::string laddr, paddr;
    int lport = 0, pport = 0;
    if (!endpoint(local, laddr, lport) || !endpoint(peer, paddr, pport))
      continue;
    if (fn(static_cast<int>(fd), lport, paddr, pport))
      break;
  }
  ::closedir(dir);
}

} // namespace

int find_connection_fd(int local_port, const std::string &remote_addr, int remote_port) {
  int found = -1;
  for_each_connection([&](int fd, int lport, const std::string &paddr, int pport) {
    if (lport == local_port && pport == remote_port && paddr == remote_addr) {
      found = fd;
      return true;
    }
    return false;
  });
  return found;
}

void shutdown_connections(int local_port) {
  for_each_connection([&](int fd, int lport, const std::string &, int) {
    if (lport == local_port)
      ::shutdown(fd, SHUT_RDWR);
    return false;
  });
}

bool reset_connection(int fd) {
  linger lg{};
  lg.l_onoff = 1;
  lg.l_linger = 0;
  if (::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) != 0)
    return false;
  return detach(fd);
}

bool close_connection(int fd) {
  ::shutdown(fd, SHUT_RDWR);
  return detach(fd);
}

hangup_wait wait_for_hangup(int fd, const std::function<bool()> &stop,
                            std::chrono::microseconds limit) {
  const auto deadline = seam::deadline::after(limit);
  for (;;) {
    if (stop())
      return hangup_wait::stopped;
    if (deadline.expired())
      return hangup_wait::time_passed;
    auto next = deadline.bounded(std::chrono::milliseconds(50));
    if (fd < 0) {
      std::this_thread::sleep_for(next);
      continue;
    }
    // Round up, so that a sub-millisecond rest is not a busy loop.
    int slice = static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(next).count());
    pollfd p{};
    p.fd = fd;
    p.events = POLLRDHUP;
    int n = ::poll(&p, 1, slice);
    if (n > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0)
      return hangup_wait::peer_hung_up;
    if (n > 0 && (p.revents & POLLIN) != 0) {
      // A pipelined request or stray bytes: only a hang-up ends the wait, so
      // look without consuming.
      char c;
      if (::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0)
        return hangup_wait::peer_hung_up;
      ::usleep(10 * 1000);
    }
  }
}

} // namespace seam::http
