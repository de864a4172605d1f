// RawResponse: the responses that break HTTP/1.1's framing (RFC 9112), for the faults that test a
// client's parser, and the body delimited by the close that slow_close needs. httplib writes only
// well-formed responses framed by a length or chunks, so for these the file server lays out the
// bytes itself (this file, a pure function) and writes them to the connection's socket
// (file_server.cc), then closes the connection for writing.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "server/server_faults.h"

namespace bitsh::server {

// What a well-formed answer would have been.
struct ResponseOutline {
  int status = 200;                                          // 200 or 206
  std::vector<std::pair<std::string, std::string>> headers;  // the handler's own (validators, Content-Range)
  std::string content_type;
  std::uint64_t body_length = 0;
  bool head_only = false;                                    // a HEAD: no body follows
};

// The bytes of `kind`'s broken answer: `before`, then body bytes [0, body_bytes), then `after`.
struct RawResponse {
  std::string before;
  std::uint64_t body_bytes = 0;
  std::string after;
};

// `kind` must be one that WrittenRaw.
RawResponse LayOutRawResponse(FaultKind kind, const ResponseOutline& outline);

}  // namespace bitsh::server
