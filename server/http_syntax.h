// Small pieces of HTTP field syntax the server's parsers share (RFC 9110 §5.6).
#pragma once

#include <string_view>

namespace bitsh::server {

// RFC 9110 §5.6.3: optional whitespace (OWS), the spaces and tabs allowed around a field value
// and around the items of a list.
inline bool IsOws(char c) { return c == ' ' || c == '\t'; }

// `text` without the OWS at either end.
inline std::string_view TrimOws(std::string_view text) {
  while (!text.empty() && IsOws(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsOws(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace bitsh::server
