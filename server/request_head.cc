#include "server/request_head.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

namespace bitsh::server {
namespace {

constexpr std::string_view kLineEnd = "\r\n";
constexpr std::string_view kHeadEnd = "\r\n\r\n";

bool SameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Line ends in `text`: the request line's, then one per header field.
std::size_t CountLineEnds(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t at = text.find(kLineEnd); at != std::string_view::npos; at = text.find(kLineEnd, at + 2)) ++count;
  return count;
}

HeadVerdict Reject(int status, std::string reason) {
  return {HeadVerdict::Kind::kReject, status, std::move(reason)};
}

}  // namespace

HeadVerdict ExamineHead(std::string_view buffered, const HttpLimits& limits) {
  const std::size_t end = buffered.find(kHeadEnd);
  const std::size_t head_bytes = end == std::string_view::npos ? buffered.size() : end + kHeadEnd.size();
  // Checked before the head is whole, so a client streaming fields is stopped at the limit and
  // not after it has sent them all.
  if (head_bytes > limits.max_head_bytes) {
    return Reject(431, "request head over " + std::to_string(limits.max_head_bytes) + " bytes");
  }
  const std::string_view head = buffered.substr(0, end == std::string_view::npos ? buffered.size() : end + 2);
  const std::size_t lines = CountLineEnds(head);
  if (lines > limits.max_header_count + 1) {
    return Reject(431, "more than " + std::to_string(limits.max_header_count) + " header fields");
  }
  if (end == std::string_view::npos) return {};

  // Fields after the request line; a malformed one is left to httplib, which answers 400.
  bool has_length = false;
  for (std::size_t at = head.find(kLineEnd) + 2; at < head.size();) {
    const std::size_t line_end = head.find(kLineEnd, at);
    const std::string_view line = head.substr(at, line_end - at);
    at = line_end + 2;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = line.substr(0, colon), value = Trim(line.substr(colon + 1));
    if (SameName(name, "Transfer-Encoding")) return Reject(411, "a request body needs a Content-Length");
    if (SameName(name, "Content-Length")) {
      has_length = true;
      std::uint64_t length = 0;
      const auto [stop, error] = std::from_chars(value.data(), value.data() + value.size(), length);
      const bool whole = error == std::errc() && stop == value.data() + value.size();
      if (whole && length > limits.max_body_bytes) {
        return Reject(413, "request body over " + std::to_string(limits.max_body_bytes) + " bytes");
      }
      // Not a number, or too big for 64 bits: httplib answers 400 to the former; the latter
      // is over any limit.
      if (error == std::errc::result_out_of_range) {
        return Reject(413, "request body over " + std::to_string(limits.max_body_bytes) + " bytes");
      }
    }
  }
  HeadVerdict complete{HeadVerdict::Kind::kComplete, 0, ""};
  const std::string_view method = head.substr(0, head.find(' '));
  if (!has_length && (method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE")) {
    complete.zero_length_at = end + 2;
  }
  return complete;
}

std::string RejectionResponse(int status, std::string_view reason, std::string_view extra_fields) {
  const char* text = status == 400   ? "Bad Request"
                     : status == 403 ? "Forbidden"
                     : status == 404 ? "Not Found"
                     : status == 407 ? "Proxy Authentication Required"
                     : status == 408 ? "Request Timeout"
                     : status == 411 ? "Length Required"
                     : status == 413 ? "Content Too Large"
                     : status == 431 ? "Request Header Fields Too Large"
                     : status == 500 ? "Internal Server Error"
                     : status == 501 ? "Not Implemented"
                     : status == 502 ? "Bad Gateway"
                     : status == 503 ? "Service Unavailable"
                     : status == 504 ? "Gateway Timeout"
                                     : "Scripted Status";
  const std::string body = std::string(reason) + "\n";
  return "HTTP/1.1 " + std::to_string(status) + " " + text + "\r\n" + std::string(extra_fields) +
         "Content-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
         body;
}

}  // namespace bitsh::server
