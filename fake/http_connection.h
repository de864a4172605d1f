// HttpConnection: one HTTP/1.1 exchange over a TCP socket, written for the fake's transport so
// that a body goes from the socket straight into the caller's buffer in reads as large as the
// buffer has room for (cpp-httplib's client reads 4 KiB at a time with a poll before each read,
// which made the fake 1.25-1.49x slower than curl on a large file; docs/performance.md, "The HTTP
// body reader"). A wait for body bytes sleeps until up to a megabyte of what the body owes has
// arrived, not the first byte, so that the server is not made to wake the reader per packet.
//
// A connection is used in order: Connect, Send, ReadHead, then ReadBody until it returns 0 bytes or
// an error. A call waits for the server at most the read timeout given to Connect each time it has
// to wait (a server that trickles a head a byte at a time can make ReadHead take longer in all).
//
// The connections of one ConnectionGroup are read on one thread, one at a time. While one waits,
// the others read ahead what their servers send (up to kMaxReadAhead each), so a server worker is
// never left blocked on a response the client is not reading just then -- with more transfers
// open than a server has workers, that would otherwise keep the next request from being answered.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

// The framing of `head`'s body, for a request that expects one (RFC 9112 §6.3): with a
// Transfer-Encoding, chunked when its last coding is chunked, else the close; without one, the
// first Content-Length when it is a decimal number, else the close. Copies of Content-Length that
// disagree are the caller's to refuse (the transport does, before it reads a body).
BodyFraming FramingOf(const ResponseHead& head, std::uint64_t* content_length);

// What one open connection may hold of bytes received and not yet handed out.
constexpr std::size_t kMaxReadAhead = 4 * 1024 * 1024;

class HttpConnection;

// The connections read on one thread (one HttpTransport's). Not thread-safe.
class ConnectionGroup {
 public:
  ConnectionGroup() = default;
  ConnectionGroup(const ConnectionGroup&) = delete;
  ConnectionGroup& operator=(const ConnectionGroup&) = delete;
  const std::vector<HttpConnection*>& members() const { return members_; }

 private:
  friend class HttpConnection;  // a connection joins at construction and leaves at destruction
  std::vector<HttpConnection*> members_;
};

class HttpConnection {
 public:
  // `group`, when given, must outlive the connection.
  explicit HttpConnection(ConnectionGroup* group = nullptr);
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

  // Reads up to `max` bytes of the body into `into`: bytes read ahead first, else straight from
  // the socket into `into` (the chunk framing may take reads of its own): `got` is 0 only at the
  // body's end. A body cut short (the close before
  // Content-Length bytes or before the last chunk) is kRead; a chunk framing error is kMalformed.
  HttpError ReadBody(char* into, std::size_t max, std::size_t& got);

  // Body bytes handed out so far (chunk framing not counted).
  std::uint64_t body_bytes() const { return body_bytes_; }

 private:
  // Bytes from the socket: waiting ones first. `got` is 0 at the close. `owed`: how many bytes the
  // server is sure to send next (1 when unknown), which a wait may gather before it wakes.
  HttpError Receive(char* into, std::size_t max, std::uint64_t owed, std::size_t& got);
  // Bytes straight from the socket, waiting if none have arrived: until up to `owed` of them have
  // (at most kWakeBytes), or kGatherCheck has passed with fewer there. `got` is 0 at the close.
  HttpError ReceiveFromSocket(char* into, std::size_t max, std::uint64_t owed, std::size_t& got);
  // Waits until the socket is ready for `events` (POLLIN or POLLOUT), reading ahead on the group's
  // other connections meanwhile; false when the read timeout passed first.
  bool Wait(short events);
  // Sets how many received bytes wake a wait for POLLIN (SO_RCVLOWAT), between 1 and kWakeBytes.
  void WakeAfter(std::uint64_t bytes);
  // Takes in what has arrived on the socket, without waiting, up to kMaxReadAhead waiting bytes.
  void ReadAhead();
  bool WantsReadAhead() const;
  // Removes the bytes already handed out from the front of `waiting_`.
  void DropHandedOut();
  // More bytes into `waiting_`; `got` is 0 at the close.
  HttpError ReceiveMore(std::size_t& got);
  // One line of the chunked framing, without its CRLF.
  HttpError ReadLine(std::string& line, const char* what);
  HttpError NextChunk();
  void Close();

  ConnectionGroup* const group_;
  int socket_ = -1;
  std::chrono::milliseconds read_timeout_{0};
  bool closed_by_server_ = false;  // ReadAhead saw the close: every later read gets 0 bytes
  int read_ahead_errno_ = 0;       // ReadAhead saw a failure: every later read reports it
  int wake_bytes_ = 1;             // the socket's SO_RCVLOWAT, as WakeAfter last set it

  std::string waiting_;          // bytes received but not yet handed out: [waiting_from_, size)
  std::size_t waiting_from_ = 0;
  BodyFraming framing_ = BodyFraming::kNone;
  std::uint64_t left_ = 0;       // kLength: bytes of the body to come; kChunked: of this chunk
  bool chunk_needs_crlf_ = false;  // kChunked: the chunk's data was read, its CRLF not yet
  bool body_ended_ = false;
  std::uint64_t body_bytes_ = 0;
};

}  // namespace bitsh::fake
