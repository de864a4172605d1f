#include "fake/proxy_route.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

#include "backend/utf8.h"

namespace bitsh::fake {
namespace {

// Entries separated by spaces, tabs or ';' (WinHTTP's lists take either).
std::vector<std::string_view> Entries(std::string_view list) {
  std::vector<std::string_view> entries;
  std::size_t at = 0;
  while (at < list.size()) {
    const std::size_t end = list.find_first_of(" \t;", at);
    const std::size_t stop = end == std::string_view::npos ? list.size() : end;
    if (stop > at) entries.push_back(list.substr(at, stop - at));
    at = stop + 1;
  }
  return entries;
}

// One entry of a proxy list, read.
struct ProxyEntry {
  std::string for_scheme;  // "http", "https", or empty for every scheme
  ProxyEndpoint endpoint;
};

Result<ProxyEntry> ReadProxyEntry(std::string_view entry) {
  const auto invalid = [&](const std::string& why) {
    return Status(hr::kInvalidProxyInfo, "proxy list entry '" + std::string(entry) + "': " + why);
  };
  ProxyEntry read;
  std::string_view rest = entry;
  if (const std::size_t equals = rest.find('='); equals != std::string_view::npos) {
    read.for_scheme = AsciiLower(rest.substr(0, equals));
    if (read.for_scheme != "http" && read.for_scheme != "https") {
      return invalid("'" + read.for_scheme + "=' is not http= or https= (BITS transfers over HTTP only)");
    }
    rest.remove_prefix(equals + 1);
  }
  if (const std::size_t scheme_end = rest.find("://"); scheme_end != std::string_view::npos) {
    if (AsciiLower(rest.substr(0, scheme_end)) != "http") {
      return invalid("a proxy is reached over http://, not " + std::string(rest.substr(0, scheme_end)) + "://");
    }
    rest.remove_prefix(scheme_end + 3);
  }
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  // host[:port], or [IPv6]:port with the brackets that keep its colons apart from the port's.
  std::string_view host = rest;
  std::string_view port;
  if (rest.starts_with('[')) {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos || close == 1) return invalid("'" + std::string(rest) + "' is not [IPv6 address]");
    host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return invalid("'" + std::string(rest) + "' has text after its ']'");
      port = rest.substr(close + 2);
      if (port.empty()) return invalid("no port after ':'");
    }
  } else {
    const std::size_t colon = rest.find(':');
    if (colon != std::string_view::npos) {
      if (rest.find(':', colon + 1) != std::string_view::npos) {
        return invalid("an IPv6 address goes in brackets, as [::1]:8080");
      }
      host = rest.substr(0, colon);
      port = rest.substr(colon + 1);
      if (port.empty()) return invalid("no port after ':'");
    }
    if (host.find_first_of("[]") != std::string_view::npos) return invalid("'" + std::string(host) + "' is not a host");
  }
  if (!port.empty()) {
    int value = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (error != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) {
      return invalid("port '" + std::string(port) + "' is not a number from 1 to 65535");
    }
    read.endpoint.port = value;
  }
  if (host.empty()) return invalid("no host");
  if (host.find_first_of("/@?#=") != std::string_view::npos) return invalid("'" + std::string(host) + "' is not a host");
  read.endpoint.host = std::string(host);
  return read;
}

// "http" or "https" and the host of an http(s) URL.
struct UrlTarget {
  std::string scheme;
  std::string host;
};

UrlTarget TargetOf(std::string_view url) {
  UrlTarget target;
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return target;
  target.scheme = AsciiLower(url.substr(0, scheme_end));
  std::string_view authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (authority.starts_with('[')) {
    target.host = std::string(authority.substr(1, authority.find(']') - 1));
  } else {
    target.host = std::string(authority.substr(0, authority.find(':')));
  }
  return target;
}

bool SameLetter(char a, char b) {
  return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
}

// '*' matches any run of characters (none included); everything else itself, without case. The
// usual glob walk: on a mismatch, go back to the last '*' and let it take one more character, so
// a list of many stars costs O(pattern x text), never exponential time.
bool WildcardMatches(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos, star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (p < pattern.size() && SameLetter(pattern[p], text[t])) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Result<std::optional<ProxyEndpoint>> RouteThrough(std::string_view proxy_list, std::string_view bypass_list,
                                                  std::string_view url, bool list_required) {
  const UrlTarget target = TargetOf(url);
  std::optional<ProxyEndpoint> chosen;
  // Every entry is read, so a broken one fails the job whichever URL comes first.
  for (std::string_view entry : Entries(proxy_list)) {
    Result<ProxyEntry> read = ReadProxyEntry(entry);
    if (!read.ok()) return read.status();
    if (!chosen && (read->for_scheme.empty() || read->for_scheme == target.scheme)) chosen = read->endpoint;
  }
  if (IsBypassed(bypass_list, target.host)) return std::optional<ProxyEndpoint>();
  if (!chosen && list_required) {
    return Status(hr::kInvalidProxyInfo, "the proxy list '" + std::string(proxy_list) + "' names no proxy for " +
                                             target.scheme + " URLs, and the bypass list does not name " + target.host);
  }
  return chosen;
}

}  // namespace

Status CheckProxySettings(const ProxySettings& settings) {
  const auto usage = static_cast<std::uint32_t>(settings.usage);
  if (usage > static_cast<std::uint32_t>(ProxyUsage::kAutodetect)) {
    return Status::NotImplemented("proxy usage " + std::to_string(usage) + " is not a BG_JOB_PROXY_USAGE value");
  }
  if (settings.usage == ProxyUsage::kOverride && !settings.proxy_list) {
    return Status::InvalidArg("OVERRIDE needs a proxy list");
  }
  if (settings.usage != ProxyUsage::kOverride && (settings.proxy_list || settings.bypass_list)) {
    return Status::InvalidArg("proxy and bypass lists must be NULL with " + std::string(ToString(settings.usage)));
  }
  const std::string limit = std::to_string(limits::kMaxProxyListChars);
  if (settings.proxy_list && Utf16Length(*settings.proxy_list) > limits::kMaxProxyListChars) {
    return Status(hr::kProxyListTooLarge, "the proxy list exceeds 32 KB (" + limit + " characters)");
  }
  if (settings.bypass_list && Utf16Length(*settings.bypass_list) > limits::kMaxProxyListChars) {
    return Status(hr::kProxyBypassListTooLarge, "the bypass list exceeds 32 KB (" + limit + " characters)");
  }
  return Status::Ok();
}

Result<std::optional<ProxyEndpoint>> RouteFor(const ProxySettings& settings, const std::optional<UserProxySettings>& user,
                                              std::string_view url) {
  switch (settings.usage) {
    case ProxyUsage::kNoProxy:
      return std::optional<ProxyEndpoint>();
    case ProxyUsage::kOverride:
      return RouteThrough(settings.proxy_list.value_or(""), settings.bypass_list.value_or(""), url, true);
    case ProxyUsage::kPreconfig:
    case ProxyUsage::kAutodetect:
      break;
  }
  if (!user) return std::optional<ProxyEndpoint>();
  // The user's settings may name no proxy for a scheme: such URLs go direct, as a browser's do.
  return RouteThrough(user->proxy_list, user->bypass_list, url, false);
}

bool IsBypassed(std::string_view bypass_list, std::string_view host) {
  for (std::string_view entry : Entries(bypass_list)) {
    if (AsciiLower(entry) == "<local>") {
      if (!host.empty() && host.find('.') == std::string_view::npos && host.find(':') == std::string_view::npos) return true;
      continue;
    }
    if (const std::size_t scheme_end = entry.find("://"); scheme_end != std::string_view::npos) {
      entry.remove_prefix(scheme_end + 3);
    }
    if (entry.size() > 2 && entry.front() == '[' && entry.back() == ']') entry = entry.substr(1, entry.size() - 2);  // [::1]
    if (WildcardMatches(entry, host)) return true;
  }
  return false;
}

}  // namespace bitsh::fake
