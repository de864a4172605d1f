#include "fake/custom_headers.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "fake/http_response_head.h"

namespace bitsh::fake {
namespace {

constexpr std::array<std::string_view, 5> kSetByTheTransfer = {"Host", "Content-Length", "Transfer-Encoding", "Range",
                                                               "If-Range"};

std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

Result<HeaderFields> ParseCustomHeaders(std::string_view text) {
  HeaderFields fields;
  int number = 0;
  while (!text.empty()) {
    ++number;
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const std::string where = "custom header line " + std::to_string(number) + " '" + std::string(line) + "'";
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Status::InvalidArg(where + " is not 'Name: value'");
    const std::string_view name = line.substr(0, colon);
    if (name.empty() || !std::all_of(name.begin(), name.end(), IsTokenChar)) {
      return Status::InvalidArg(where + ": the name is not an HTTP token");
    }
    const std::string_view value = Trimmed(line.substr(colon + 1));
    if (std::any_of(value.begin(), value.end(), [](char c) {
          const auto u = static_cast<unsigned char>(c);
          return (u < 0x20 && c != '\t') || u == 0x7F;
        })) {
      return Status::InvalidArg(where + ": the value holds a control character");
    }
    for (std::string_view reserved : kSetByTheTransfer) {
      if (SameFieldName(name, reserved)) return Status::InvalidArg(where + ": " + std::string(reserved) + " is set by the transfer itself");
    }
    fields.emplace_back(std::string(name), std::string(value));
  }
  return fields;
}

}  // namespace bitsh::fake
