#include "fake/http_response_head.h"

#include <algorithm>
#include <cctype>

namespace bitsh::fake {
namespace {

bool IsSpaceOrTab(char c) { return c == ' ' || c == '\t'; }

HeadParse Malformed(std::size_t offset, std::string error) {
  HeadParse parse;
  parse.outcome = HeadParse::Outcome::kMalformed;
  parse.length = offset;
  parse.error = std::move(error);
  return parse;
}

// "HTTP/1.1 206 Partial Content": false when the line is not a status line.
bool ParseStatusLine(std::string_view line, ResponseHead& head) {
  if (line.size() < 12 || !line.starts_with("HTTP/1.") || (line[7] != '0' && line[7] != '1') || line[8] != ' ') {
    return false;
  }
  for (std::size_t i = 9; i < 12; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(line[i]))) return false;
  }
  if (line.size() > 12 && line[12] != ' ') return false;
  head.version = std::string(line.substr(0, 8));
  head.status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
  head.reason = line.size() > 13 ? std::string(line.substr(13)) : std::string();
  return head.status >= 100;
}

// "Name: value": false when the line is not a field line.
bool ParseFieldLine(std::string_view line, ResponseHead& head) {
  const std::size_t colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
  const std::string_view name = line.substr(0, colon);
  if (!std::all_of(name.begin(), name.end(), IsTokenChar)) return false;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && IsSpaceOrTab(value.front())) value.remove_prefix(1);
  while (!value.empty() && IsSpaceOrTab(value.back())) value.remove_suffix(1);
  head.fields.emplace_back(std::string(name), std::string(value));
  return true;
}

}  // namespace

bool IsTokenChar(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool SameFieldName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::size_t ResponseHead::Count(std::string_view name) const {
  return static_cast<std::size_t>(
      std::count_if(fields.begin(), fields.end(), [&](const auto& field) { return SameFieldName(field.first, name); }));
}

std::string ResponseHead::Value(std::string_view name, std::size_t index) const {
  for (const auto& [field_name, value] : fields) {
    if (SameFieldName(field_name, name) && index-- == 0) return value;
  }
  return {};
}

HeadParse ParseResponseHead(std::string_view bytes) {
  HeadParse parse;
  std::size_t offset = 0;   // start of the line being read
  bool at_status_line = true;
  while (true) {
    const std::size_t end = bytes.find('\n', offset);
    const std::size_t limit = std::min(bytes.size(), kMaxResponseHeadBytes);
    if (end == std::string_view::npos || end >= limit) {
      if (bytes.size() > kMaxResponseHeadBytes) {
        return Malformed(kMaxResponseHeadBytes, "a response head longer than " +
                                                    std::to_string(kMaxResponseHeadBytes) + " bytes");
      }
      return parse;  // kIncomplete: the line has not ended yet
    }
    if (end == offset || bytes[end - 1] != '\r') return Malformed(end, "a line that ends in LF without CR");
    const std::string_view line = bytes.substr(offset, end - 1 - offset);
    if (line.find('\r') != std::string_view::npos || line.find('\0') != std::string_view::npos) {
      return Malformed(offset, "a line holding CR or NUL");
    }
    const std::size_t next = end + 1;
    if (at_status_line) {
      if (!ParseStatusLine(line, parse.head)) return Malformed(offset, "not an HTTP/1.x status line");
      at_status_line = false;
    } else if (line.empty()) {
      if (parse.head.status < 200) {  // an interim answer (100 Continue): the response follows it
        parse.head = ResponseHead();
        at_status_line = true;
        offset = next;
        continue;
      }
      parse.outcome = HeadParse::Outcome::kComplete;
      parse.length = next;
      return parse;
    } else if (IsSpaceOrTab(line.front())) {
      return Malformed(offset, "a field line folded onto the one before it (obs-fold)");
    } else if (!ParseFieldLine(line, parse.head)) {
      return Malformed(offset, "not a field line (name: value)");
    } else if (parse.head.fields.size() > kMaxResponseFields) {
      return Malformed(offset, "more than " + std::to_string(kMaxResponseFields) + " header fields");
    }
    offset = next;
  }
}

}  // namespace bitsh::fake
