// ResponseHead: the status line and header fields of an HTTP/1.1 response, and the parser that
// reads them from the bytes a server sent (RFC 9112 §4 and §5). Pure: no sockets, so that the
// fuzz target and the tests feed it any bytes. fake/http_connection.h reads a head off a socket
// with it; fake/http_transport.cc decides what the head means for the job.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bitsh::fake {

// RFC 9110 §5.6.2: a character of a token (a field name is one).
bool IsTokenChar(char c);
// Whether two field names are the same name: they compare without case (RFC 9110 §5.1).
bool SameFieldName(std::string_view a, std::string_view b);

struct ResponseHead {
  std::string version;  // "HTTP/1.1" or "HTTP/1.0"
  int status = 0;       // 100-999
  std::string reason;
  // Every field in the order received, names as sent; values without the surrounding spaces.
  std::vector<std::pair<std::string, std::string>> fields;

  // How many fields are called `name` (names compare without case, RFC 9110 §5.1).
  std::size_t Count(std::string_view name) const;
  bool Has(std::string_view name) const { return Count(name) > 0; }
  // The value of the `index`th field called `name`; empty when there is none.
  std::string Value(std::string_view name, std::size_t index = 0) const;
};

// Limits on what a head may be, so that a server cannot make the client hold unbounded memory.
// The same as the file server's request limits (docs/decisions.md, "Request size limits").
constexpr std::size_t kMaxResponseHeadBytes = 64 * 1024;
constexpr std::size_t kMaxResponseFields = 100;

struct HeadParse {
  enum class Outcome {
    kIncomplete,  // no error so far, but the head has not ended: read more and parse again
    kComplete,    // `head` holds the response; its head took the first `length` bytes
    kMalformed,   // not an HTTP/1.x head: `error` says why, `length` is the offset of the fault
  };
  Outcome outcome = Outcome::kIncomplete;
  ResponseHead head;
  std::size_t length = 0;
  std::string error;
};

// Parses the head at the start of `bytes`. Lines end in CRLF (a bare LF is malformed, as in the
// cpp-httplib client this replaced); the status line is "HTTP/1.x DDD reason"; a field line is
// "name: value" with a token for a name, and a line folded onto the one before it (obs-fold) is
// malformed, as RFC 9112 §5.2 allows. Interim 1xx answers (100 Continue) are skipped: the
// response is the first final head after them. A head over kMaxResponseHeadBytes or with more
// than kMaxResponseFields fields is malformed as soon as the limit is passed.
HeadParse ParseResponseHead(std::string_view bytes);

}  // namespace bitsh::fake
