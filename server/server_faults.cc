#include "server/server_faults.h"

#include <array>

namespace bitsh::server {
namespace {

constexpr std::array<std::pair<FaultKind, std::string_view>, 20> kNames = {{
    {FaultKind::kCloseAfterBytes, "close_after_bytes"},
    {FaultKind::kResetAfterBytes, "reset_after_bytes"},
    {FaultKind::kStatus, "status"},
    {FaultKind::kStall, "stall"},
    {FaultKind::kDribble, "dribble"},
    {FaultKind::kIgnoreRange, "ignore_range"},
    {FaultKind::kWrongContentRange, "wrong_content_range"},
    {FaultKind::kOmitContentLength, "omit_content_length"},
    {FaultKind::kRedirect, "redirect"},
    {FaultKind::kChangeFile, "change_file"},
    {FaultKind::kRequireHeader, "require_header"},
    {FaultKind::kRequireBasicAuth, "require_basic_auth"},
    {FaultKind::kCorruptBytes, "corrupt_bytes"},
    {FaultKind::kBadStatusLine, "bad_status_line"},
    {FaultKind::kTruncatedHeaders, "truncated_headers"},
    {FaultKind::kContentLengthTooLarge, "content_length_too_large"},
    {FaultKind::kContentLengthTooSmall, "content_length_too_small"},
    {FaultKind::kBrokenChunked, "broken_chunked"},
    {FaultKind::kHttp10, "http_1_0"},
    {FaultKind::kSlowClose, "slow_close"},
}};

}  // namespace

std::string_view ToString(FaultKind kind) {
  for (const auto& [value, name] : kNames) {
    if (value == kind) return name;
  }
  return "?";
}

Status CheckFault(const ServerFault& fault) {
  if (fault.kind == FaultKind::kDribble && fault.rate_bytes_per_s == 0) {
    return Status::InvalidArg("a dribble needs a rate of at least 1 byte per second");
  }
  return Status::Ok();
}

bool ProxyApplies(FaultKind kind) {
  switch (kind) {
    case FaultKind::kStatus:
    case FaultKind::kCloseAfterBytes:
    case FaultKind::kResetAfterBytes:
    case FaultKind::kStall:
    case FaultKind::kDribble:
    case FaultKind::kRequireBasicAuth:
      return true;
    default:
      return false;
  }
}

std::string ProxyFaultKindNames() {
  std::string names;
  for (const auto& [kind, name] : kNames) {
    if (ProxyApplies(kind)) names += (names.empty() ? "" : ", ") + std::string(name);
  }
  return names;
}

bool WrittenRaw(FaultKind kind) {
  switch (kind) {
    case FaultKind::kBadStatusLine:
    case FaultKind::kTruncatedHeaders:
    case FaultKind::kContentLengthTooLarge:
    case FaultKind::kContentLengthTooSmall:
    case FaultKind::kBrokenChunked:
    case FaultKind::kHttp10:
    case FaultKind::kSlowClose:
      return true;
    default:
      return false;
  }
}

std::string FaultKindNames() {
  std::string names;
  for (const auto& [value, name] : kNames) names += (names.empty() ? "" : ", ") + std::string(name);
  return names;
}

std::optional<FaultKind> ParseFaultKind(std::string_view name) {
  for (const auto& [value, text] : kNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

}  // namespace bitsh::server
