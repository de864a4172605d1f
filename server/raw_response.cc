#include "server/raw_response.h"

#include <cstdio>

namespace bitsh::server {
namespace {

std::string Hex(std::uint64_t value) {
  char text[20];
  std::snprintf(text, sizeof text, "%llx", static_cast<unsigned long long>(value));
  return text;
}

}  // namespace

RawResponse LayOutRawResponse(FaultKind kind, const ResponseOutline& outline) {
  const std::uint64_t length = outline.body_length;
  const char* reason = outline.status == 206 ? "Partial Content" : "OK";
  std::string status_line = "HTTP/1.1 " + std::to_string(outline.status) + " " + reason + "\r\n";
  if (kind == FaultKind::kBadStatusLine) status_line = std::string("HTTP/1.1 2OO ") + reason + "\r\n";  // letters O
  if (kind == FaultKind::kHttp10) status_line = "HTTP/1.0 " + std::to_string(outline.status) + " " + reason + "\r\n";

  std::string fields;
  for (const auto& [name, value] : outline.headers) fields += name + ": " + value + "\r\n";
  fields += "Content-Type: " + outline.content_type + "\r\n";
  if (kind == FaultKind::kBrokenChunked) {
    fields += "Transfer-Encoding: chunked\r\n";
  } else if (kind == FaultKind::kSlowClose && !outline.head_only) {
    // No length, no chunks: the body ends where the connection does.
  } else {
    std::uint64_t claimed = length;
    if (kind == FaultKind::kContentLengthTooLarge) claimed = length + 1;
    if (kind == FaultKind::kContentLengthTooSmall && length > 0) claimed = length - 1;
    fields += "Content-Length: " + std::to_string(claimed) + "\r\n";
  }
  fields += "Connection: close\r\n";

  RawResponse raw;
  if (kind == FaultKind::kTruncatedHeaders) {
    // Cut inside a field line, so that no reading of it can take it for a complete head.
    raw.before = status_line + fields.substr(0, fields.size() / 2);
    if (raw.before.ends_with("\r\n")) raw.before.pop_back();
    return raw;
  }
  raw.before = status_line + fields + "\r\n";
  if (outline.head_only) return raw;
  if (kind == FaultKind::kBrokenChunked) {
    // One good chunk with the first half of the body, then a chunk size that is not hexadecimal.
    raw.body_bytes = length / 2;
    if (raw.body_bytes > 0) raw.before += Hex(raw.body_bytes) + "\r\n";
    raw.after = std::string(raw.body_bytes > 0 ? "\r\n" : "") + "zz\r\n";
    return raw;
  }
  raw.body_bytes = length;
  return raw;
}

}  // namespace bitsh::server
