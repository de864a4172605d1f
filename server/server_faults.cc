#include "server/server_faults.h"

#include <array>

namespace bitsh::server {
namespace {

constexpr std::array<std::pair<FaultKind, std::string_view>, 12> kNames = {{
    {FaultKind::kCloseAfterBytes, "close_after_bytes"},
    {FaultKind::kResetAfterBytes, "reset_after_bytes"},
    {FaultKind::kStatus, "status"},
    {FaultKind::kStall, "stall"},
    {FaultKind::kIgnoreRange, "ignore_range"},
    {FaultKind::kWrongContentRange, "wrong_content_range"},
    {FaultKind::kOmitContentLength, "omit_content_length"},
    {FaultKind::kRedirect, "redirect"},
    {FaultKind::kChangeFile, "change_file"},
    {FaultKind::kRequireHeader, "require_header"},
    {FaultKind::kRequireBasicAuth, "require_basic_auth"},
    {FaultKind::kCorruptBytes, "corrupt_bytes"},
}};

}  // namespace

std::string_view ToString(FaultKind kind) {
  for (const auto& [value, name] : kNames) {
    if (value == kind) return name;
  }
  return "?";
}

std::optional<FaultKind> ParseFaultKind(std::string_view name) {
  for (const auto& [value, text] : kNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

}  // namespace bitsh::server
