// ExamineHead: decides, from the bytes a connection has sent so far, whether its request head is
// complete, still arriving, or over a limit (http_limits.h). Pure, so the limits are tested without
// sockets; HeadGate applies the verdict.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "server/http_limits.h"

namespace bitsh::server {

struct HeadVerdict {
  enum class Kind {
    kIncomplete,  // wait for more bytes
    kComplete,    // the head is whole and within the limits: hand it to a worker
    kReject,      // answer `status` with `reason` and close the connection
  };
  Kind kind = Kind::kIncomplete;
  int status = 0;
  std::string reason;
  // kComplete: where "Content-Length: 0\r\n" must go (before the blank line) for a POST, PUT,
  // PATCH or DELETE that has neither Content-Length nor Transfer-Encoding, else npos. Such a
  // request has no body (RFC 9112 §6.3), but httplib 0.11.4 reads one until the connection closes:
  // a `curl -X POST URL` (or `-X DELETE`) waited out the read timeout and got a bare 400.
  std::size_t zero_length_at = std::string::npos;
};

// `buffered`: what the connection has sent since its previous request ended (a head, perhaps
// followed by body bytes or a pipelined request). Rejections: 431 for too many header fields or too
// many head bytes (RFC 6585 §5), 413 for a Content-Length over the body limit (RFC 9110 §15.5.14),
// 411 for a Transfer-Encoding body (RFC 9110 §15.5.12), whose length httplib 0.11.4 would not
// bound while reading it.
HeadVerdict ExamineHead(std::string_view buffered, const HttpLimits& limits);

// The complete answer (status line, fields, short text body) sent for a rejection or a cut head,
// or by the forward proxy for itself (407, 502, a scripted status...); `extra_fields` are whole
// "Name: value\r\n" lines put before the others. It says "Connection: close", as the connection
// is closed after it.
std::string RejectionResponse(int status, std::string_view reason, std::string_view extra_fields = "");

}  // namespace bitsh::server
