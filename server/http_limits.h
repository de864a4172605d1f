// HttpLimits: how much a client may ask of the file server, so that a few slow or greedy clients
// cannot starve the others (issue 21). Standard library only: FileServerOptions carries it without
// pulling in cpp-httplib. The defaults suit a local test server; tests shrink them.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <thread>

namespace bitsh::server {

// The default number of workers. A worker spends a download waiting on its client's socket, not
// on the CPU, so the count bounds how many transfers start at once rather than the load: 16 per
// core and never fewer than 64, so that 64 downloads started together all get their first bytes
// without waiting for one another (bench/serve_first_byte; docs/decisions.md).
inline int WorkersForThisMachine() {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return static_cast<int>(std::clamp(16u * cores, 64u, 1024u));
}

struct HttpLimits {
  // Workers that serve requests whose head has fully arrived. Idle and half-sent connections wait
  // on one separate thread (head_gate.h), so this bounds concurrent transfers, not connections.
  int threads = WorkersForThisMachine();
  // Each connection's socket send buffer (SO_SNDBUF; Linux doubles it), 0 for the system's. On
  // loopback the system lets a buffer grow to 4 MiB, so a worker writes most of a file without
  // waiting for its client and stays busy on the CPU; with 64 downloads at once the last ones then
  // waited 50-60 ms for a first byte, against 30-33 ms with 128 KiB. A single download's speed
  // did not change (bench/serve_first_byte, bench/http_vs_curl; docs/performance.md).
  int send_buffer_bytes = 128 * 1024;
  // A request head (request line and header fields) must arrive whole within this time, counted
  // from the connection's accept or, on a kept-alive connection, from the request's first byte;
  // a request body must arrive within the same time once a worker takes it. A per-recv() timeout
  // alone is not enough: one byte every few seconds would hold a connection forever (slowloris).
  std::chrono::milliseconds head_timeout{10'000};
  // Header fields per request; more is answered 431 (RFC 6585 §5). Real clients send about ten.
  std::size_t max_header_count = 100;
  // Bytes of request line plus header fields, terminator included; more is answered 431.
  std::size_t max_head_bytes = 64 * 1024;
  // Request body bytes (Content-Length); more is answered 413 without reading the body. The
  // control API sends its parameters in the query string, so its bodies are empty.
  std::size_t max_body_bytes = 4 * 1024 * 1024;
  // Requests served on one connection before it is closed ("Connection: close" on the last).
  int keep_alive_max_requests = 100;
  // How long a kept-alive connection may wait for its next request before it is closed.
  std::chrono::milliseconds keep_alive_idle{5'000};
};

}  // namespace bitsh::server
