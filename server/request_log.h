// RequestLog: what the file server was asked and what it answered, for tests and scenario
// expectations ("the resume asked for bytes=123457-"). Thread-safe: handlers run on server threads.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace bitsh::server {

struct RequestRecord {
  std::string method;        // "GET" or "HEAD"
  std::string path;          // decoded request path
  std::string range;         // the Range header as sent, empty when none
  std::string if_range;      // the If-Range header as sent, empty when none
  int status = 0;            // the status answered
  std::uint64_t bytes_sent = 0;  // body bytes actually written
  std::string fault;         // the fault applied, empty when none
  std::string note;          // e.g. why a path was refused, which precondition decided
};

class RequestLog {
 public:
  // Appends a record and returns its index, so the body writer can add the bytes it sent.
  std::size_t Add(RequestRecord record);
  // The body writer counts each piece before handing it to the socket (a client that has read the
  // bytes must find them in the log) and takes back a piece the socket refused.
  void AddBytesSent(std::size_t index, std::uint64_t bytes);
  void TakeBackBytesSent(std::size_t index, std::uint64_t bytes);
  std::vector<RequestRecord> Records() const;
  // One line per request: "GET /a.wma Range=bytes=0- -> 206 1048576 bytes [fault]" (with
  // " If-Range=..." after the range when one was sent).
  std::string ToText() const;

 private:
  mutable std::mutex mutex_;
  std::vector<RequestRecord> records_;
};

}  // namespace bitsh::server
