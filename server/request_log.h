// RequestLog: what the file server was asked and what it answered, for tests and scenario
// expectations ("the resume asked for bytes=123457-"). Thread-safe: handlers run on server threads.
//
// Bounded (issue 21: it grew by a record per request, and a client choosing long unique paths grew
// it fast): it keeps the most recent records within a byte budget and counts the ones it let go.
// Keeping the last records, rather than a per-path summary, keeps what a test or a scenario check
// reads (the exact sequence of recent requests) unchanged for any run that fits the budget, which
// every test and scenario does by orders of magnitude; long text fields are cut so one record
// cannot take the whole budget.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <utility>
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
  // Every header field of the request as received (name, value), in name order; long values cut.
  std::vector<std::pair<std::string, std::string>> headers;
};

class RequestLog {
 public:
  // Text fields longer than this are cut, and end in "...".
  static constexpr std::size_t kMaxFieldBytes = 512;

  // `budget_bytes`: roughly the memory the kept records may take (their text plus a fixed cost
  // each). 16 MiB holds about 75,000 ordinary records
  // (sizeof(RequestRecord) is 208 bytes with libstdc++).
  explicit RequestLog(std::size_t budget_bytes = 16 * 1024 * 1024) : budget_bytes_(budget_bytes) {}

  // Appends a record and returns its number (0 for the first ever), so the body writer can add the
  // bytes it sent; drops the oldest records past the budget.
  std::size_t Add(RequestRecord record);
  // The body writer counts each piece before handing it to the socket (a client that has read the
  // bytes must find them in the log) and takes back a piece the socket refused. A record already
  // dropped is not counted.
  void AddBytesSent(std::size_t number, std::uint64_t bytes);
  void TakeBackBytesSent(std::size_t number, std::uint64_t bytes);
  // The kept records, oldest first.
  std::vector<RequestRecord> Records() const;
  // Records dropped to stay within the budget.
  std::uint64_t Dropped() const;
  // One line per request: "GET /a.wma Range=bytes=0- -> 206 1048576 bytes [fault]" (with
  // " If-Range=..." after the range when one was sent), after a first line saying how many earlier
  // requests were dropped, when any were.
  std::string ToText() const;

 private:
  RequestRecord* Find(std::size_t number);

  const std::size_t budget_bytes_;
  mutable std::mutex mutex_;
  std::deque<RequestRecord> records_;
  std::size_t first_number_ = 0;  // the number of records_.front()
  std::size_t kept_bytes_ = 0;
};

}  // namespace bitsh::server
