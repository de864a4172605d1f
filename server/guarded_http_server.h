// GuardedHttpServer: an httplib::Server that a few slow or greedy clients cannot starve (issue 21).
//
// httplib 0.11.4 hands each accepted connection to a pool worker that keeps it for its whole
// keep-alive life and waits for each request head with a per-recv() timeout only, so a handful of
// clients sending a header line every few seconds held every worker. Here the accept thread gives
// the connection to a HeadGate (one poll() thread) instead, which reads request heads under a total
// deadline and the head limits; only a connection whose head is whole reaches a worker, which
// serves that one request with httplib's own process_request over a DeadlineStream and gives the
// connection back to the gate for the next one. Handlers, routing and responses are httplib's.
//
// How: httplib lets a subclass override the private virtual process_and_close_socket(sock) (what a
// pool worker runs for an accepted socket) and replace new_task_queue. The task queue installed
// here runs that call on the accept thread, where it only admits the socket to the gate; its
// shutdown(), which listen() calls when stop() ends the accept loop, stops the gate and joins the
// workers, so every connection is closed when listen() returns.
#pragma once

#include <httplib.h>

#include <atomic>
#include <memory>

#include "server/head_gate.h"
#include "server/http_limits.h"

namespace bitsh::server {

class GuardedHttpServer : public httplib::Server {
 public:
  // Applies `limits`: body size (413 from the gate, and httplib's own payload limit behind it),
  // keep-alive count and idle time (also advertised in httplib's Keep-Alive header).
  explicit GuardedHttpServer(HttpLimits limits);
  ~GuardedHttpServer() override;

  // Binds `host`:`port` (0: a free port) and listens with the system's longest accept queue
  // (SOMAXCONN). Returns the port, or -1 when the address cannot be bound. httplib 0.11's own
  // bind_to_port listens with a queue of 5: a client opening more connections at once than the
  // accept thread takes in that instant had its SYN dropped and resent a second later (64 connects
  // in a row took 2.05 s; bench/serve_first_byte).
  int Bind(const std::string& host, int port);

  // For a handler (and the body writer it installs), which httplib 0.11 does not hand its socket:
  // the socket of the connection this thread is serving a request on, or -1 outside one. The
  // faults that do what httplib cannot (a reset, a response that breaks HTTP framing) act on it.
  static int ServingSocket();
  // The connection this thread serves is closed once the request is done, not kept alive: the
  // handler wrote to its socket behind httplib's back.
  static void CloseAfterThisRequest();

 private:
  class GateQueue;

  // httplib calls this for every accepted socket; here it only admits the socket to the gate.
  bool process_and_close_socket(socket_t sock) override;
  // Runs on a worker: serves the one request whose head the gate collected, then closes the
  // connection or parks it in the gate for the next request.
  void Serve(WaitingConnection connection);
  // Starts the gate and the workers when listen() starts; ends them when it ends.
  void StartServing();
  void StopServing();

  const HttpLimits limits_;
  std::atomic<bool> stopping_{false};
  std::unique_ptr<HeadGate> gate_;
  std::unique_ptr<httplib::ThreadPool> workers_;
};

}  // namespace bitsh::server
