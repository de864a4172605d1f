// HttpConnection: one HTTP/1.1 exchange over a blocking TCP socket, written for the fake's
// transport so that a body goes from the socket straight into the caller's buffer in reads as
// large as the buffer has room for (cpp-httplib's client reads 4 KiB at a time with a poll before
// each read, which made the fake 1.25-1.49x slower than curl on a large file; docs/performance.md,
// "The HTTP body reader").
//
// A connection is used in order: Connect, Send, ReadHead, then ReadBody until it returns 0 bytes or
// an error. Every call blocks until the server answers or the timeout given to Connect passes.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fake/http_response_head.h"

namespace bitsh::fake {

enum class HttpFailure {
  kNone,
  kResolve,    // the host name does not resolve
  kConnect,    // no connection: refused, unreachable, or not within the connect timeout
  kSend,       // the request could not be written
  kRead,       // the connection closed, was reset or stayed quiet past the read timeout
  kMalformed,  // the server's bytes are not HTTP/1.1: a head or a chunk that does not parse
};

struct HttpError {
  HttpFailure failure = HttpFailure::kNone;
  std::string detail;  // what happened, with the byte offset where the bytes were wrong
  bool ok() const { return failure == HttpFailure::kNone; }
};

// How a response's body ends (RFC 9112 §6.3).
enum class BodyFraming {
  kNone,     // no body: the answer to a HEAD
  kLength,   // after Content-Length bytes
  kChunked,  // at the last chunk (Transfer-Encoding: chunked)
  kClose,    // when the server closes the connection
};

// The framing of `head`'s body, for a request that expects one: chunked when its last transfer
// coding is chunked, else Content-Length's value when there is exactly one valid value, else the
// close. The caller refuses a response whose Content-Length is not valid before reading a body.
BodyFraming FramingOf(const ResponseHead& head, std::uint64_t* content_length);

class HttpConnection {
 public:
  HttpConnection() = default;
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Connects to `host` (a name, an IPv4 address or an IPv6 address without brackets) on `port`.
  // `read_timeout` bounds every later wait for the server: a send, or a read that gets no byte.
  HttpError Connect(const std::string& host, int port, std::chrono::milliseconds connect_timeout,
                    std::chrono::milliseconds read_timeout);

  // Writes the whole request (its head; the fake sends no request bodies).
  HttpError Send(std::string_view request);

  // Reads the response head (skipping interim 1xx answers). Bytes of the body read with it are
  // kept for ReadBody.
  HttpError ReadHead(ResponseHead& head);

  // Says how the body after the head ends; `length` is its size for kLength.
  void ExpectBody(BodyFraming framing, std::uint64_t length = 0);

  // Reads up to `max` bytes of the body into `into`, in one read from the socket when no bytes are
  // already waiting: `got` is 0 only at the body's end. A body cut short (the close before
  // Content-Length bytes or before the last chunk) is kRead; a chunk framing error is kMalformed.
  HttpError ReadBody(char* into, std::size_t max, std::size_t& got);

  // Body bytes handed out so far (chunk framing not counted).
  std::uint64_t body_bytes() const { return body_bytes_; }

 private:
  // Bytes from the socket: waiting ones first. `got` is 0 at the close.
  HttpError Receive(char* into, std::size_t max, std::size_t& got);
  // More bytes into `waiting_`; `got` is 0 at the close.
  HttpError ReceiveMore(std::size_t& got);
  // One line of the chunked framing, without its CRLF.
  HttpError ReadLine(std::string& line, const char* what);
  HttpError NextChunk();
  void Close();

  int socket_ = -1;

  std::string waiting_;          // bytes received but not yet handed out: [waiting_from_, size)
  std::size_t waiting_from_ = 0;
  BodyFraming framing_ = BodyFraming::kNone;
  std::uint64_t left_ = 0;       // kLength: bytes of the body to come; kChunked: of this chunk
  bool chunk_needs_crlf_ = false;  // kChunked: the chunk's data was read, its CRLF not yet
  bool body_ended_ = false;
  std::uint64_t body_bytes_ = 0;
};

}  // namespace bitsh::fake
