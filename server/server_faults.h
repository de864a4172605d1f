// ServerFault: one scripted misbehaviour of the file server, chosen by path and request number.
//
// Faults are data: a scenario lists them, the server applies the first rule matching each request,
// and the request log records which one fired. They are deterministic given the request sequence.
// Every field defaults to "off"; units are in the names.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "backend/status.h"
#include "content/hashing.h"

namespace bitsh::server {

enum class FaultKind {
  // Send `after_bytes` bytes of the body, then close the connection. `after_bytes` at or past the
  // body's length sends all of it, then closes: a close after the last byte.
  kCloseAfterBytes,
  kResetAfterBytes,     // the same, then reset the connection (TCP RST): a reset after the last byte too
  kStatus,              // answer `status` (404, 403, 500, 503 with Retry-After, 408, ...)
  kStall,               // answer normally but tell the fake's transport to wait `stall` virtual time
  kDribble,             // answer normally but tell the fake's transport the body comes at `rate_bytes_per_s`
  kIgnoreRange,         // answer 200 with the whole body to a ranged request
  kWrongContentRange,   // answer a single range with a Content-Range that starts one byte late
  kOmitContentLength,   // send the body chunked, with no Content-Length (HEAD too)
  kRedirect,            // answer `redirect_status` with Location: `redirect_to`
  kChangeFile,          // before answering, replace a generated file: new `new_size`/`new_seed`
  kRequireHeader,       // answer 403 unless the request carries `required_header` ("Name: value")
  kRequireBasicAuth,    // answer 401 (WWW-Authenticate: Basic) unless Authorization carries `basic_credentials`
  kCorruptBytes,        // send file bytes [corrupt_offset, +corrupt_length) inverted; validators unchanged (a lying server)
  // Responses that break HTTP/1.1's framing (RFC 9112), written by the server itself since httplib
  // writes only well-formed ones; the connection is closed after each (raw_response.h).
  kBadStatusLine,          // "HTTP/1.1 2OO OK": a status code that is not three digits
  kTruncatedHeaders,       // the status line and half the header block, then the connection closes
  kContentLengthTooLarge,  // Content-Length one more than the body sent, then the connection closes
  kContentLengthTooSmall,  // Content-Length one less than the body sent (the last byte trails)
  kBrokenChunked,          // Transfer-Encoding: chunked; half the body in one chunk, then a size line that is not hex
  kHttp10,                 // the status line says HTTP/1.0 (an HTTP/1.0 server), Connection: close
  // A body delimited by the close (no Content-Length, not chunked: RFC 9112 §6.3 rule 8), and the
  // close comes `close_delay` of virtual time after the last byte (kCloseDelayHeader tells the
  // fake's transport): the response ends that much later. HEAD answers keep their Content-Length.
  kSlowClose,
};

// Whether the server writes `kind`'s response itself (raw_response.h) instead of through httplib,
// which writes only well-formed, length- or chunk-framed answers: the framing faults and slow_close.
bool WrittenRaw(FaultKind kind);

// Whether the forward proxy applies `kind` (server/forward_proxy.h): its own status, a cut of the
// origin's body, a stall or dribble, or a 407. The others are the origin server's business.
bool ProxyApplies(FaultKind kind);
// "status, close_after_bytes, ...": the kinds ProxyApplies, for messages.
std::string ProxyFaultKindNames();

// "close_after_bytes, reset_after_bytes, ...": every kind's name, for messages that list them.
std::string FaultKindNames();

std::string_view ToString(FaultKind kind);
std::optional<FaultKind> ParseFaultKind(std::string_view name);

struct ServerFault {
  std::string path;               // the request path it applies to, e.g. "/album/01.wma"
  int request_number = 0;         // 1-based count of requests (HEAD and GET) for the path; 0 = every
  // "GET" or "HEAD": the fault applies to that method only, and request_number counts that
  // method's requests only ("the first GET", whether or not the client sent a HEAD before it,
  // as the fake and Windows do and Wine does not). Empty: both methods.
  std::string method;
  FaultKind kind = FaultKind::kStatus;
  std::uint64_t after_bytes = 0;  // kCloseAfterBytes / kResetAfterBytes: body bytes sent first
  int status = 0;                 // kStatus
  int retry_after_s = -1;         // kStatus: Retry-After header when >= 0
  std::chrono::milliseconds stall{0};  // kStall, in virtual time
  std::uint64_t rate_bytes_per_s = 0;  // kDribble: body bytes per virtual second, at least 1
  std::chrono::milliseconds close_delay{0};  // kSlowClose, in virtual time
  std::string redirect_to;        // kRedirect: the new path (or absolute URL)
  int redirect_status = 302;      // kRedirect: 301, 302, 303, 307 or 308
  std::uint64_t new_size = 0;     // kChangeFile
  std::uint64_t new_seed = 0;     // kChangeFile
  // kRequireHeader: "Name: value". The name compares without case, the value exactly (after
  // trimming spaces): what a CDN checking a token or a Basic Authorization header does.
  std::string required_header;
  std::string basic_credentials;  // kRequireBasicAuth: "user:password"
  std::uint64_t corrupt_offset = 0;  // kCorruptBytes: the first byte of the file sent wrong...
  std::uint64_t corrupt_length = 1;  // ...and how many (each inverted, so always different)

  // Seeded faults. Of the requests the fault matches by path, method and request number, it fires
  // on every `every`-th only (0 or 1: on each), and of those with `probability`. The draw is a
  // function of `draw_seed` and the request's count alone, never of timing or threads, so the
  // same requests fire on every run with the same seed (a scenario derives draw_seed from its
  // seed and the fault's own fields: scenario_runner.cc).
  int every = 0;
  double probability = 1.0;
  std::uint64_t draw_seed = 0;

  // Whether the fault counts a request: it is for the fault's path, and of its method if it names one.
  bool Selects(std::string_view request_path, std::string_view request_method) const {
    return request_path == path && (method.empty() || method == request_method);
  }
  // Whether it fires on the request it counted `count`-th (1-based; FaultTable counts from when
  // the fault was added).
  bool FiresOn(int count) const {
    if (request_number != 0 && request_number != count) return false;
    if (every > 1 && count % every != 0) return false;
    return probability >= 1.0 || Draw(count) < probability;
  }

  // The uniform draw in [0, 1) for the request counted `count`: 53 bits of a SplitMix64 mix.
  double Draw(int count) const {
    const std::uint64_t mixed =
        content::SplitMix64::Mix(draw_seed ^ content::SplitMix64::Mix(static_cast<std::uint64_t>(count)));
    return static_cast<double>(mixed >> 11) * 0x1p-53;
  }
};

// InvalidArg naming the parameter when `fault` lacks what its kind needs to be sent at all: a
// dribble's rate of at least 1 byte per second. (The scenario loader and the control API say so at
// the place; the server and the proxy refuse such a fault.)
Status CheckFault(const ServerFault& fault);

// The response header through which kStall reaches the fake's HTTP transport (a real client
// ignores it): the virtual milliseconds to wait before the first byte. Defined here, with the
// fault, and nowhere else: fake/http_transport.cc reads this constant.
inline constexpr const char* kStallHeader = "X-Bitsh-Stall-Ms";
// Likewise for kDribble: the body's pace in bytes per virtual second, whatever the network's
// bandwidth (a server, or a proxy, that sends a few bytes at a time). fake/http_transport.cc reads it.
inline constexpr const char* kRateHeader = "X-Bitsh-Rate-Bps";
// Likewise for kSlowClose: the virtual milliseconds between the body's last byte and the close.
inline constexpr const char* kCloseDelayHeader = "X-Bitsh-Close-Delay-Ms";

}  // namespace bitsh::server
