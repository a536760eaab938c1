// socket_faults.hpp - breaking a mock server connection on purpose.
//
// cpp-httplib gives a handler no access to its socket, so a fault finds the
// connection's descriptor by its two endpoints (the request carries both) and
// then swaps /dev/null in under the same descriptor number: the connection
// goes away at once while httplib, which still owns the number, fails its
// writes harmlessly (no SIGPIPE: /dev/null is no socket) and later closes it.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace seam::http {

// The descriptor of this process's TCP connection between local_port and
// remote_addr:remote_port; -1 when none is found.
int find_connection_fd(int local_port, const std::string &remote_addr, int remote_port);

// Shuts down (without closing) every connection this process accepted on
// local_port, so that threads blocked on them wake up and finish.
void shutdown_connections(int local_port);

// Sends a TCP reset on fd (SO_LINGER 0) and detaches it. False on failure.
bool reset_connection(int fd);

// Closes the connection on fd in order (FIN, no answer) and detaches it.
bool close_connection(int fd);

enum class hangup_wait { peer_hung_up, stopped, time_passed };

// Waits until the peer of fd hangs up, stop() returns true (checked every
// 50 ms), or `limit` passes; says which. fd < 0: only stop() or the limit.
hangup_wait wait_for_hangup(int fd, const std::function<bool()> &stop,
                            std::chrono::microseconds limit);

} // namespace seam::http
