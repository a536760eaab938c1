// serve.hpp - runs a bound httplib server on a thread of its own, for the
// emulator and the webhook listener.
#pragma once

#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace seam_stripe {

// Binds server to host:port (0: a free one) and returns the port. Throws
// seam::error naming `where` (the resource) when it cannot listen.
int bind_server(httplib::Server &server, const std::string &host, int port,
                const std::string &where);

// Starts server.listen_after_bind() on a new thread with SIGPIPE blocked (a
// client hanging up early must not kill the run) and returns once the server
// runs, so that a stop() right after cannot come before it and be lost.
std::thread serve(httplib::Server &server);

} // namespace seam_stripe
