// HttpTransport: the fake's transfer engine talking HTTP to a real server (the local file server),
// following BITS's documented download protocol (spec §3.4, §3.5):
//  - Probe is a HEAD: the size comes from Content-Length (none: BG_E_MISSING_FILE_SIZE), the
//    file's version from size + Last-Modified + ETag;
//  - each attempt is one GET with "Range: bytes=N-" from the exact byte the temporary file holds,
//    read piece by piece as the engine's virtual clock allows, on the engine's thread, from the
//    socket through one buffer; while the engine waits on one response the others read ahead, up
//    to 4 MiB each (memory does not grow with file size); from N > 0 (a resume) it also sends
//    If-Range with the validator the probe recorded (the strong ETag, else Last-Modified);
//  - a Content-Length, when there is one, must frame the body: one decimal value (copies equal),
//    and on a 206 the length of its Content-Range; else BG_E_INVALID_SERVER_RESPONSE (a 206
//    without one is read to the close, which then ends it);
//  - a 206 must carry Content-Range starting at N (else BG_E_INVALID_SERVER_RESPONSE) for the
//    same version (else the file changed: restart it); a 200 to a resume for another version is
//    the If-Range answer "the file changed" (restart it); any other 200 to a ranged GET is
//    BG_E_INSUFFICIENT_RANGE_SUPPORT unless the request accepts a whole body (G10);
//  - redirects (301, 302, 303, 307, 308 with a Location) are followed, up to 20, and the final URL
//    reported (redirected_to), unless the request's RedirectPolicy is kRefuse: then the first one
//    stops it with HRESULT_FROM_WIN32(status), naming the target; statuses and client failures map
//    to BITS codes in http_errors.h;
//  - a request with a ProxyRoute goes to that proxy, with the absolute URL in its request line; a
//    Basic challenge is answered once from the server (401) and once from the proxy (407) when
//    the request carries credentials for it, else the status is the job's error.
// The file server's timing faults reach it as headers and become virtual time: X-Bitsh-Stall-Ms
// (a stall before the first byte), X-Bitsh-Rate-Bps (a dribble: the body's pace) and
// X-Bitsh-Close-Delay-Ms (a slow close of a body the close delimits); server/server_faults.h.
// Hosts under .invalid (RFC 6761) and in the RFC 5737 documentation networks fail without a
// packet sent: a name that does not resolve, a connection never answered.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fake/transport.h"

namespace bitsh::fake {

class ConnectionGroup;  // fake/http_connection.h, internal

struct HttpTransportOptions {
  // The most one read from a socket takes, and one write to the job's file (one buffer for the
  // transport, allocated at its first Fetch): a system call per 256 KiB where cpp-httplib's client
  // made two per 4 KiB. Not larger: with 1 MiB writes (large page-cache folios) downloads ran up
  // to 3x slower on the test VM, whose memory the host takes back when idle (docs/performance.md,
  // "The HTTP body reader" and "The VM's memory, and the slow runs").
  std::size_t read_bytes = 256 * 1024;
  // Wall-clock limits for a dead server; virtual time is not involved.
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds read_timeout{30};
  // How long, in virtual time, a connection to a host that never answers takes to fail: a host in
  // the documentation networks of RFC 5737 (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24), which
  // the fake treats as a black hole without sending a packet. WinHttpSetTimeouts' default connect
  // timeout (docs/decisions.md, "A connect timeout").
  Duration unanswered_connect_timeout = std::chrono::seconds(60);
};

class HttpTransport final : public Transport {
 public:
  explicit HttpTransport(HttpTransportOptions options = {});
  ~HttpTransport() override;
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  ProbeResult Probe(const ProbeRequest& request) override;
  FetchResult Fetch(const FetchRequest& request, ByteSink& sink) override;
  void Release(const std::string& stream_key) override;

 private:
  class Stream;

  HttpTransportOptions options_;
  // Every open connection; declared before the streams, so that it outlives them.
  std::unique_ptr<ConnectionGroup> group_;
  std::map<std::string, std::unique_ptr<Stream>> streams_;
  std::vector<char> read_buffer_;  // options_.read_bytes, shared by the streams (one engine thread)
};

}  // namespace bitsh::fake
