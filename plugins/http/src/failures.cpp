// failures.cpp - see failures.hpp.
#include "failures.hpp"

#include <cerrno>

namespace seam::http {

namespace {

std::string describe_direct_failure(CURLcode rc, long os_errno, const std::string &detail,
                                    const std::string &host, const time_limit &limit,
                                    const seam::context &ctx) {
  switch (rc) {
  case CURLE_COULDNT_RESOLVE_HOST:
    return "DNS error: could not resolve host '" + host + "' (" + detail +
           "); hint: check the host name in the url";
  case CURLE_COULDNT_CONNECT:
    if (os_errno == ECONNREFUSED || detail.find("refused") != std::string::npos)
      return "connection refused (" + detail +
             "); hint: is the server running and listening "
             "on that port?";
    return "connection failed (" + detail + ")";
  case CURLE_OPERATION_TIMEDOUT:
    return "timed out after " + std::to_string(limit.ms) + " ms, the limit set by " + limit.source +
           " (" + detail + ")";
  case CURLE_ABORTED_BY_CALLBACK: {
    // A new deadline() adds a millisecond of margin to what the host has
    // left; the host's own count (0: passed) says whether time ran out.
    auto left = ctx.remaining();
    if (left && left->count() <= 0)
      return "timed out: the step's deadline passed during the request";
    return "cancelled before the response was complete";
  }
  case CURLE_GOT_NOTHING:
    return "connection closed by the server without a response (" + detail + ")";
  case CURLE_RECV_ERROR:
  case CURLE_SEND_ERROR:
    if (detail.find("reset") != std::string::npos)
      return "connection reset by the server (" + detail + ")";
    return "connection error (" + detail + ")";
  case CURLE_PARTIAL_FILE:
    return "connection closed before the response was complete (" + detail + ")";
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_ENGINE_INITFAILED:
    return "TLS error: " + detail + "; hint: set tls.ca_file to the CA that signed the " +
           "server's certificate (or tls.verify = false for a throwaway test server)";
  case CURLE_TOO_MANY_REDIRECTS:
    return "too many redirects (" + detail +
           "); hint: raise follow_redirects = N or look for "
           "a redirect loop";
  case CURLE_URL_MALFORMAT:
  case CURLE_UNSUPPORTED_PROTOCOL:
    return "invalid URL (" + detail + ")";
  default:
    return "request failed: " + detail + " (curl error " + std::to_string(rc) + ")";
  }
}

// Failures on the way to the proxy are the proxy's: name it, not the target.
std::string describe_proxy_failure(CURLcode rc, long os_errno, const std::string &detail,
                                   const proxy_choice &proxy) {
  std::string which = "the proxy " + proxy.shown + " (from " + proxy.source + ")";
  std::string hint = "; hint: is the proxy running? proxy = false connects directly, and "
                     "no_proxy lists hosts reached without it";
  if (rc == CURLE_COULDNT_RESOLVE_PROXY)
    return "DNS error: could not resolve the host of " + which + " (" + detail + ")" + hint;
  if (os_errno == ECONNREFUSED || detail.find("refused") != std::string::npos)
    return "connection refused by " + which + " (" + detail + ")" + hint;
  return "could not connect to " + which + " (" + detail + ")" + hint;
}

} // namespace

std::string describe_failure(CURLcode rc, long os_errno, const char *errbuf,
                             const std::string &host, const time_limit &limit,
                             const seam::context &ctx, const std::optional<proxy_choice> &proxy) {
  std::string detail = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);
  if (proxy && (rc == CURLE_COULDNT_RESOLVE_PROXY || rc == CURLE_COULDNT_CONNECT))
    return describe_proxy_failure(rc, os_errno, detail, *proxy);
  std::string message = describe_direct_failure(rc, os_errno, detail, host, limit, ctx);
  if (proxy)
    message += " (through the proxy " + proxy->shown + " from " + proxy->source + ")";
  return message;
}

} // namespace seam::http
