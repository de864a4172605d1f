#include "server/control_guard.h"

#include <algorithm>
#include <cctype>

#include "backend/utf8.h"

namespace bitsh::server {
namespace {

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

// "127.a.b.c" with four decimal parts of at most three digits each.
bool IsLoopbackIpv4(std::string_view host) {
  if (!host.starts_with("127.")) return false;
  int parts = 0;
  for (std::size_t start = 0; start <= host.size(); ++parts) {
    const std::size_t dot = std::min(host.find('.', start), host.size());
    const std::string_view part = host.substr(start, dot - start);
    if (!AllDigits(part) || part.size() > 3) return false;
    int value = 0;
    for (char digit : part) value = value * 10 + (digit - '0');
    if (value > 255) return false;
    start = dot + 1;
  }
  return parts == 4;
}

}  // namespace

bool IsLoopbackAuthority(std::string_view authority) {
  std::string_view host = authority;
  if (host.starts_with('[')) {  // an IPv6 literal: "[::1]" or "[::1]:8080"
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos) return false;
    const std::string_view rest = host.substr(close + 1);
    if (!rest.empty() && !(rest.starts_with(':') && AllDigits(rest.substr(1)))) return false;
    return host.substr(1, close - 1) == "::1";
  }
  if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    if (!AllDigits(host.substr(colon + 1))) return false;
    host = host.substr(0, colon);
  }
  const std::string lower = AsciiLower(host);
  return lower == "localhost" || IsLoopbackIpv4(lower);
}

std::string ControlRequestRefusal(std::string_view host, std::string_view origin) {
  if (!IsLoopbackAuthority(host)) {
    return "the control API answers requests for a loopback host only; Host is '" + std::string(host) + "'";
  }
  if (origin.empty()) return "";
  const std::size_t scheme_end = origin.find("://");
  const std::string_view scheme = scheme_end == std::string_view::npos ? std::string_view() : origin.substr(0, scheme_end);
  if ((scheme != "http" && scheme != "https") || !IsLoopbackAuthority(origin.substr(scheme_end + 3))) {
    return "the control API refuses requests from web pages; Origin is '" + std::string(origin) + "'";
  }
  return "";
}

}  // namespace bitsh::server
