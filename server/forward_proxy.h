// ForwardProxy: a forward HTTP proxy on loopback, for jobs whose proxy settings send them through
// one (IBackgroundCopyJob::SetProxySettings), with the faults a proxy brings: proxy
// authentication (407), drops and resets mid-body, and error statuses of its own (502, 504...).
//
// It takes "GET http://host:port/path HTTP/1.1" (and HEAD), checks Proxy-Authorization when
// `basic_credentials` is set, opens a connection to the origin, sends the request there in origin
// form with "Connection: close" (its Proxy-* fields removed), and copies the answer back byte for
// byte: what the origin sends, a client gets, framing and all (an origin that sends no complete
// answer head gets the client a 502). One request per client connection. Origins must be
// "localhost" or loopback addresses (127.x.x.x, ::1; names that merely look like one are refused)
// unless allow_remote_origins: a test's proxy never reaches out of the machine. CONNECT (https through the proxy) is answered
// 501: the fake's https transfers are not simulated.
//
// Faults are the file server's ServerFault rules, matched on the origin path ("/album/01.wma"):
// kStatus (the proxy answers that status itself), kCloseAfterBytes and kResetAfterBytes (counted
// in body bytes after the origin's head), kStall and kDribble (the origin's answer is sent with
// the stall or rate header: a slow proxy), kRequireBasicAuth (407 for that path only, with
// Proxy-Authenticate): ProxyApplies' list. Other kinds are refused by AddFault; a cut applies only inside a body (not to a HEAD, nor past a Content-Length).
// Every request whose head could be read is recorded in a RequestLog, under its origin path, before
// its answer goes out.
//
// POSIX sockets; a thread per connection (at most max_connections, beyond which a connection is
// answered 503 and closed), each bounded by io_timeout per read or write and by the head limits of
// http_limits.h. Stop (and the destructor) closes every connection and joins every thread.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "backend/status.h"
#include "server/http_limits.h"
#include "server/fault_table.h"
#include "server/request_log.h"
#include "server/server_faults.h"

namespace bitsh::server {

struct ForwardProxyOptions {
  std::string bind_address = "127.0.0.1";  // loopback unless a test host says otherwise
  int port = 0;                            // 0 = an ephemeral port
  // "user:password": every request must carry them in Proxy-Authorization (Basic), else 407 with
  // "Proxy-Authenticate: Basic". Empty: an open proxy.
  std::string basic_credentials;
  bool allow_remote_origins = false;
  HttpLimits limits;                                  // head size, field count and head timeout
  std::chrono::milliseconds io_timeout{30'000};       // each read or write, either side
  std::size_t max_connections = 64;
  std::size_t log_budget_bytes = 4 * 1024 * 1024;
};

class ForwardProxy {
 public:
  explicit ForwardProxy(ForwardProxyOptions options);
  ~ForwardProxy();
  ForwardProxy(const ForwardProxy&) = delete;
  ForwardProxy& operator=(const ForwardProxy&) = delete;

  // Binds and accepts on a background thread; connections are accepted as soon as this returns.
  // E_FAIL naming the address when it cannot be bound.
  Status Start();
  // Closes the listening socket and every connection, and joins every thread. Idempotent.
  void Stop();

  int port() const { return port_; }
  // "127.0.0.1:PORT": what a proxy list names.
  std::string address() const;

  // E_INVALIDARG for a fault kind a proxy does not apply (see above).
  Status AddFault(ServerFault fault);

  const RequestLog& log() const { return log_; }

 private:
  struct Connection;
  void AcceptLoop();
  void Serve(int client);
  std::optional<ServerFault> TakeFault(const std::string& path, const std::string& method);
  void Reap(bool all);

  const ForwardProxyOptions options_;
  int listen_fd_ = -1;
  int port_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;
  RequestLog log_;

  std::mutex mutex_;  // guards everything below
  FaultTable faults_;
  std::map<int, std::thread> connections_;  // by client socket: the threads serving them
  std::vector<int> finished_;               // client sockets whose thread is done, to join
  std::map<int, int> origins_;              // client socket -> its open origin socket
};

}  // namespace bitsh::server
