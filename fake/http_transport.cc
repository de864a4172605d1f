#include "fake/http_transport.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "fake/http_challenges.h"
#include "fake/http_connection.h"
#include "fake/http_errors.h"
#include "fake/http_response_head.h"
#include "server/server_faults.h"

namespace bitsh::fake {
namespace {

struct UrlParts {
  std::string origin;  // "http://127.0.0.1:8080"
  std::string path;    // "/album/01.wma"
};

UrlParts SplitUrl(const std::string& url) {
  const std::size_t scheme = url.find("://");
  const std::size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash == std::string::npos) return {url, "/"};
  return {url.substr(0, slash), url.substr(slash)};
}

// A host the fake knows cannot be reached, and how long finding that out takes in virtual time.
struct Unreachable {
  TransferError error;
  Duration after = Duration::zero();
};

// Hosts that fail without a packet sent, so that a scenario gets the failure with no network and
// the same way on every run:
// - RFC 6761 §6.4: a name under "invalid." never resolves. It fails at once, as the resolver
//   would (a real lookup on a machine without a network lasts the resolver's timeout, in real time).
// - RFC 5737: the documentation networks 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24 are
//   routed nowhere, so a connection to them is never answered: BG_E_TIMEOUT after the connect
//   timeout, in virtual time.
// Through a proxy, the proxy resolves and connects: no failure here.
std::optional<Unreachable> UnreachableHost(const std::string& url, const std::optional<ProxyRoute>& proxy,
                                           Duration connect_timeout) {
  if (proxy) return std::nullopt;
  std::string host = SplitUrl(url).origin;
  if (const std::size_t scheme = host.find("://"); scheme != std::string::npos) host.erase(0, scheme + 3);
  if (const std::size_t at = host.rfind('@'); at != std::string::npos) host.erase(0, at + 1);
  if (host.starts_with('[')) return std::nullopt;  // an IPv6 literal
  host = host.substr(0, host.find(':'));
  while (host.ends_with('.')) host.pop_back();
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (host == "invalid" || host.ends_with(".invalid")) {
    return Unreachable{{hr::kNameResolutionFailure, ErrorContext::kRemoteFile, "the name " + host + " does not resolve (" + url + ")"}};
  }
  for (const char* network : {"192.0.2.", "198.51.100.", "203.0.113."}) {
    if (host.starts_with(network) && host.size() > std::string_view(network).size() &&
        host.find_first_not_of("0123456789", std::string_view(network).size()) == std::string::npos) {
      return Unreachable{{hr::kTimeout, ErrorContext::kRemoteFile,
                          "no answer from " + host + " within the connect timeout (" + url + ")"},
                         connect_timeout};
    }
  }
  return std::nullopt;
}

// Redirects are followed here, one request each, with the job's redirect policy; BITS records a
// 3xx without a Location as the status (BG_E_HTTP_ERROR_3xx) with its class from the table in
// backend/error_class.h.
constexpr int kMaxRedirects = 20;  // past it, BG_E_REDIRECT_FAILED

// Where one request goes: the host and port to connect to (the proxy's, through one), the request
// target of its request line and its Host field.
struct RequestTarget {
  std::string connect_host;
  int connect_port = 80;
  std::string request_target;  // "/album/01.wma", or the absolute URL through a proxy
  std::string host_field;      // "127.0.0.1:8080"
};

// RFC 3986 allows none of these in a request target as they stand: they go percent-encoded (a
// remote name may hold a space). '%' itself stays, so a name already encoded is sent as it is.
std::string EncodeTarget(std::string_view target) {
  std::string encoded;
  for (const char c : target) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      encoded += '%';
      encoded += kHex[byte >> 4];
      encoded += kHex[byte & 0xf];
    } else {
      encoded += c;
    }
  }
  return encoded;
}

// `url` as a request: http:// only (the file server serves HTTP; the fake has no TLS), with the
// user info dropped and the port 80 unless named. nullopt, with `why`, when it is not one.
std::optional<RequestTarget> TargetOf(const std::string& url, const std::optional<ProxyRoute>& proxy, std::string& why) {
  constexpr std::string_view kScheme = "http://";
  if (url.size() < kScheme.size() || !std::equal(kScheme.begin(), kScheme.end(), url.begin(), [](char a, char b) {
        return a == std::tolower(static_cast<unsigned char>(b));
      })) {
    why = "the fake's HTTP transport speaks http:// only: " + url;
    return std::nullopt;
  }
  std::string authority = url.substr(kScheme.size());
  std::string path = "/";
  if (const std::size_t slash = authority.find_first_of("/?#"); slash != std::string::npos) {
    path = authority.substr(slash);
    authority.erase(slash);
  }
  if (path.starts_with('?')) path.insert(0, "/");
  path = path.substr(0, path.find('#'));  // a fragment is not sent (RFC 9110 §7.1)
  if (const std::size_t at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
  std::string host = authority;
  int port = 80;
  const std::size_t bracket = authority.find(']');
  const std::size_t colon = authority.find(':', bracket == std::string::npos ? 0 : bracket);
  if (colon != std::string::npos) {
    host = authority.substr(0, colon);
    const std::string digits = authority.substr(colon + 1);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || port < 1 || port > 65535) {
      why = "the port of " + url + " is not a number from 1 to 65535";
      return std::nullopt;
    }
  }
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  if (host.empty()) {
    why = url + " names no host";
    return std::nullopt;
  }
  const std::string bracketed = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  RequestTarget target;
  target.host_field = port == 80 ? bracketed : bracketed + ":" + std::to_string(port);
  target.request_target = EncodeTarget(proxy ? "http://" + bracketed + ":" + std::to_string(port) + path : path);
  target.connect_host = proxy ? proxy->host : host;
  target.connect_port = proxy ? proxy->port : port;
  return target;
}

// The request's head: the request line, Host, the job's custom headers and `fields` (Range,
// If-Range, Authorization), and Connection: close (one request per connection, as each attempt
// is one GET read for as long as it lasts).
std::string RequestHead(std::string_view method, const RequestTarget& target, const HeaderFields& custom,
                        const HeaderFields& fields) {
  const auto custom_names = [&](std::string_view name) {
    return std::any_of(custom.begin(), custom.end(), [&](const auto& field) { return SameFieldName(field.first, name); });
  };
  std::string head = std::string(method) + " " + target.request_target + " HTTP/1.1\r\nHost: " + target.host_field + "\r\n";
  // Defaults a job's custom headers may replace (a field sent twice would reach the server as one
  // joined value).
  for (const auto& [name, value] : HeaderFields{{"Accept", "*/*"}, {"User-Agent", "bits-harness"}, {"Connection", "close"}}) {
    if (!custom_names(name)) head += name + ": " + value + "\r\n";
  }
  for (const HeaderFields* list : {&custom, &fields}) {
    for (const auto& [name, value] : *list) head += name + ": " + value + "\r\n";
  }
  return head + "\r\n";
}

// A response's head, or why there is none.
struct Exchange {
  HttpError error;
  ResponseHead head;
  bool head_received = false;
};

// Sends one request over `connection` and reads the answer's head.
Exchange Ask(HttpConnection& connection, std::string_view method, const std::string& url,
             const std::optional<ProxyRoute>& proxy, const HeaderFields& custom, const HeaderFields& fields,
             const HttpTransportOptions& options) {
  Exchange exchange;
  std::string why;
  const std::optional<RequestTarget> target = TargetOf(url, proxy, why);
  if (!target) {
    exchange.error = {HttpFailure::kConnect, why};
    return exchange;
  }
  exchange.error = connection.Connect(target->connect_host, target->connect_port,
                                      std::chrono::duration_cast<std::chrono::milliseconds>(options.connect_timeout),
                                      std::chrono::duration_cast<std::chrono::milliseconds>(options.read_timeout));
  if (exchange.error.ok()) exchange.error = connection.Send(RequestHead(method, *target, custom, fields));
  if (exchange.error.ok()) exchange.error = connection.ReadHead(exchange.head);
  exchange.head_received = exchange.error.ok();
  return exchange;
}

// Where a redirect sends `from`: BG_HTTP_REDIRECT_POLICY_ALLOW_SILENT (the default) follows 301,
// 302, 303, 307 and 308 with a Location, keeping the job's remote name. nullopt for any other
// answer, and for a redirect without a Location: that status is then the job's error.
std::optional<std::string> RedirectTarget(const std::string& from, const ResponseHead& response) {
  const int status = response.status;
  if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) return std::nullopt;
  const std::string location = response.Value("Location");
  if (location.empty()) return std::nullopt;
  if (location.find("://") != std::string::npos) return location;
  const UrlParts parts = SplitUrl(from);
  if (location.starts_with('/')) return parts.origin + location;
  return parts.origin + parts.path.substr(0, parts.path.rfind('/') + 1) + location;
}

bool SameProxy(const std::optional<ProxyRoute>& a, const std::optional<ProxyRoute>& b) {
  if (!a || !b) return !a && !b;
  return a->host == b->host && a->port == b->port;
}

// BG_HTTP_REDIRECT_POLICY_DISALLOW: "the fatal error state" with HRESULT_FROM_WIN32 of the status.
TransferError RefusedRedirect(const std::string& url, int status, const std::string& target) {
  return {hr::FromWin32(static_cast<std::uint32_t>(status)), ErrorContext::kRemoteFile,
          "HTTP " + std::to_string(status) + " from " + url + " redirects to " + target +
              "; the job's redirect policy is DISALLOW"};
}

TransferError TooManyRedirects(const std::string& url) {
  return {hr::kRedirectFailed, ErrorContext::kRemoteFile,
          "more than " + std::to_string(kMaxRedirects) + " redirects from " + url};
}

std::string VersionOf(std::uint64_t size, const ResponseHead& response) {
  return std::to_string(size) + "|" + response.Value("Last-Modified") + "|" +
         response.Value("ETag");
}

// The If-Range validator for resuming a file of version `version` (VersionOf's "size|date|tag"):
// its ETag when strong (a weak one may not be sent in If-Range, RFC 9110 §13.1.5), else its
// Last-Modified; empty when the probe saw neither. An HTTP-date holds no '|', so the tag is all
// that follows the second one.
std::string IfRangeValidator(const std::string& version) {
  const std::size_t size_end = version.find('|');
  const std::size_t date_end = size_end == std::string::npos ? std::string::npos : version.find('|', size_end + 1);
  if (date_end == std::string::npos) return "";
  const std::string etag = version.substr(date_end + 1);
  if (!etag.empty() && !etag.starts_with("W/")) return etag;
  return version.substr(size_end + 1, date_end - size_end - 1);
}

// A decimal field value (Content-Length): digits only, within 64 bits; nullopt otherwise.
std::optional<std::uint64_t> ParseDecimal(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// A stall longer than this is not a stall but a broken header (it would overflow the clock).
constexpr std::chrono::milliseconds kMaxStall = std::chrono::hours(24 * 365);

// A virtual delay a server announced in `header` (X-Bitsh-Stall-Ms before the first byte,
// X-Bitsh-Close-Delay-Ms before the close): zero without the header; nullopt when it is not a
// decimal number of milliseconds up to kMaxStall.
std::optional<Duration> DelayOf(const ResponseHead& response, const char* header) {
  const std::string stall = response.Value(header);
  if (stall.empty()) return Duration::zero();
  const std::optional<std::uint64_t> ms = ParseDecimal(stall);
  if (!ms || *ms > static_cast<std::uint64_t>(kMaxStall.count())) return std::nullopt;
  return std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(*ms));
}

// The pace a server announced for the body (X-Bitsh-Rate-Bps, a dribble): 0 without the header;
// nullopt when it is not a decimal number of bytes per second from 1 up.
std::optional<std::uint64_t> RateOf(const ResponseHead& response) {
  const std::string rate = response.Value(server::kRateHeader);
  if (rate.empty()) return 0;
  const std::optional<std::uint64_t> bytes_per_s = ParseDecimal(rate);
  if (!bytes_per_s || *bytes_per_s == 0) return std::nullopt;
  return bytes_per_s;
}

TransferError BadTimingHeader(const char* header, const std::string& url, const ResponseHead& response) {
  return {hr::kInvalidServerResponse, ErrorContext::kRemoteFile,
          std::string(header) + " '" + response.Value(header) + "' from " + url};
}

// A response's Content-Length. `present` is false without one; `valid` is false when a copy is
// not a decimal within 64 bits ("-1", "abc", 2^64) or copies disagree: such a message cannot be
// framed (RFC 9112 §6.3), and the server broke the protocol (BG_E_INVALID_SERVER_RESPONSE).
struct ContentLength {
  bool present = false;
  bool valid = true;
  std::uint64_t value = 0;
  std::string text;  // every copy, for the error message
};

ContentLength ContentLengthOf(const ResponseHead& response) {
  ContentLength length;
  const std::size_t count = response.Count("Content-Length");
  for (std::size_t i = 0; i < count; ++i) {
    const std::string text = response.Value("Content-Length", i);
    length.text += (i == 0 ? "" : ", ") + text;
    const std::optional<std::uint64_t> value = ParseDecimal(text);
    if (!value || (length.present && *value != length.value)) length.valid = false;
    if (value && !length.present) length.value = *value;
    length.present = true;
  }
  return length;
}

TransferError BadLength(const std::string& url, const ContentLength& length) {
  return {hr::kInvalidServerResponse, ErrorContext::kRemoteFile, "Content-Length '" + length.text + "' of " + url};
}

struct ContentRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  std::uint64_t total = 0;
};

// "bytes 100-199/1000" -> {100, 199, 1000}; nullopt when malformed (every number checked, as the
// server is not trusted: no sign, no overflow, no trailing text, first <= last < total).
std::optional<ContentRange> ParseContentRange(std::string_view header) {
  if (!header.starts_with("bytes ")) return std::nullopt;
  header.remove_prefix(6);
  const std::size_t dash = header.find('-'), slash = header.find('/');
  if (dash == std::string_view::npos || slash == std::string_view::npos || slash < dash) return std::nullopt;
  const std::optional<std::uint64_t> first = ParseDecimal(header.substr(0, dash));
  const std::optional<std::uint64_t> last = ParseDecimal(header.substr(dash + 1, slash - dash - 1));
  const std::optional<std::uint64_t> total = ParseDecimal(header.substr(slash + 1));
  if (!first || !last || !total || *last < *first || *last >= *total) return std::nullopt;
  return ContentRange{*first, *last, *total};
}

// What a HEAD answer (after any redirects) tells of the file at `url`.
ProbeResult ProbeFromHead(const std::string& url, const ResponseHead& head) {
  if (std::optional<TransferError> old = FromHttpVersion(head.version, url)) return {*old, {}, Duration::zero()};
  const std::optional<Duration> stall = DelayOf(head, server::kStallHeader);
  if (!stall) return {BadTimingHeader(server::kStallHeader, url, head), {}, Duration::zero()};
  if (head.status < 200 || head.status > 299) return {FromHttpStatus(head.status, url), {}, *stall};
  ProbeResult probe;
  probe.delay = *stall;
  const ContentLength length = ContentLengthOf(head);
  if (!length.present) return probe;  // size unknown: the engine fails with BG_E_MISSING_FILE_SIZE
  if (!length.valid) {
    probe.error = BadLength(url, length);
    return probe;
  }
  probe.info.size = length.value;
  probe.info.version = VersionOf(probe.info.size, head);
  return probe;
}

}  // namespace

// One GET in progress: the connection it came on, read on the engine's thread as pieces are
// taken (no hand-over to a reader thread, which cost a wake-up per read). While the engine waits
// on another connection, this one reads ahead up to kMaxReadAhead (ConnectionGroup), so that its
// server is not left blocked on a response nobody reads.
class HttpTransport::Stream {
 public:
  // Sends the request, following redirects and answering challenges, and reads the head of the
  // answer: after this the stream has a body to read, or an error for Take to report.
  Stream(const FetchRequest& request, const HttpTransportOptions& options, ConnectionGroup& group)
      : group_(group), url_(request.url), proxy_(request.proxy), last_byte_(request.last_byte), dynamic_(request.dynamic),
        position_(request.offset) {
    Open(request, options);
  }

  // The engine asks again at the URL it has, which is the final one once it took a reported redirect.
  // A new proxy route (the job's settings changed) or another range end needs a new request.
  bool Continues(const FetchRequest& request) const {
    return (request.url == url_ || (!redirected_to_.empty() && request.url == redirected_to_)) &&
           request.offset == position_ && request.last_byte == last_byte_ && SameProxy(request.proxy, proxy_);
  }

  // Reads up to `max_bytes` of the body into `sink`, through `buffer`: each read from the socket
  // takes what has arrived, up to the buffer's size.
  FetchResult Take(std::uint64_t max_bytes, ByteSink& sink, bool first, std::vector<char>& buffer) {
    FetchResult result;
    result.new_request = first;
    result.redirected_to = redirected_to_;
    if (first) result.delay = delay_;
    result.rate_bytes_per_s = rate_;
    while (result.bytes < max_bytes && connection_) {
      // Fill the buffer (or the rest of the piece) before writing: one write per buffer, however
      // the bytes arrived.
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(max_bytes - result.bytes, buffer.size()));
      std::size_t filled = 0;
      HttpError error;
      bool body_ended = false;
      while (filled < want && !body_ended) {
        std::size_t got = 0;
        error = connection_->ReadBody(buffer.data() + filled, want - filled, got);
        filled += got;
        body_ended = !error.ok() || got == 0;
      }
      const SinkWrite written = filled > 0 ? sink.Write(std::string_view(buffer.data(), filled)) : SinkWrite{};
      result.bytes += written.written;
      if (!written.error.ok()) {
        // The local file took no more: the engine fails the job, which releases the stream, and a
        // resume asks again from the last byte written.
        position_ += result.bytes;
        result.error = written.error;
        return result;
      }
      if (body_ended) {
        if (!error.ok()) error_ = FromHttpError(error, url_, true);
        connection_.reset();  // the body ended, complete or not
      }
    }
    position_ += result.bytes;
    result.body_size = body_size_;
    if (result.bytes < max_bytes && dynamic_ && !refused_ && error_.ok()) {
      result.end_of_body = true;  // a dynamic body has no size to fall short of: this is its end
      result.delay += close_delay_;  // ...and it ended only when the connection did
      return result;
    }
    if (result.bytes > 0 && position_ == body_end_) result.delay += close_delay_;  // the close ends the response
    if (result.bytes < max_bytes) {  // the response ended before the piece did
      result.remote_changed = remote_changed_;
      result.error = error_;
      if (!remote_changed_ && result.error.ok()) {
        result.error = {hr::kConnectionClosed, ErrorContext::kRemoteFile,
                        "the server closed the connection at byte " + std::to_string(position_) + " of " + url_};
      }
    }
    return result;
  }

 private:
  void Open(const FetchRequest& request, const HttpTransportOptions& options) {
    std::string url = request.url;
    for (int redirects = 0;; ++redirects) {
      if (std::optional<Unreachable> unreachable = UnreachableHost(url, request.proxy, options.unanswered_connect_timeout)) {
        Refuse(unreachable->error);
        delay_ = unreachable->after;
        return;
      }
      bool head_received = false;
      const HttpError error = Get(request, url, options, head_received);
      if (answer_challenge_) {
        answered_.For(*std::exchange(answer_challenge_, std::nullopt)) = true;  // the same request again, answered
        --redirects;
        continue;
      }
      if (redirect_) {
        if (redirects < kMaxRedirects) {
          url = *std::exchange(redirect_, std::nullopt);
          continue;
        }
        Refuse(TooManyRedirects(request.url));
      }
      if (!error.ok() && !refused_) error_ = FromHttpError(error, request.url, head_received);
      return;
    }
  }

  // One GET of `url` (the job's URL, or where a redirect sent it), up to its head. Ok also when
  // Accept refused the answer: Accept recorded why. When Accept takes it, connection_ holds it.
  HttpError Get(const FetchRequest& request, const std::string& url, const HttpTransportOptions& options,
                bool& head_received) {
    HeaderFields fields;
    if (!request.dynamic) {  // dynamic content is fetched whole, from byte 0
      fields.emplace_back("Range", "bytes=" + std::to_string(request.offset) + "-" +
                                       (request.last_byte ? std::to_string(*request.last_byte) : std::string()));
    }
    answered_.AddTo(fields, request.server_basic, request.proxy);
    // A resume names the version its bytes came from: a server whose file changed answers 200
    // with the whole new file instead of a range of it (RFC 9110 §13.1.5). Accept tells that 200
    // from a server ignoring Range by the validators.
    if (request.offset > 0 && !request.dynamic) {
      if (std::string validator = IfRangeValidator(request.expected_version); !validator.empty()) {
        fields.emplace_back("If-Range", std::move(validator));
      }
    }
    auto connection = std::make_unique<HttpConnection>(&group_);
    const Exchange exchange = Ask(*connection, "GET", url, request.proxy, request.headers, fields, options);
    head_received = exchange.head_received;
    if (exchange.error.ok() && Accept(request, url, exchange.head)) {
      std::uint64_t length = 0;
      const BodyFraming framing = FramingOf(exchange.head, &length);
      connection->ExpectBody(framing, length);
      connection_ = std::move(connection);
    }
    return exchange.error;
  }

  // Checks the status and headers; false stops the transfer with the reason recorded.
  bool Accept(const FetchRequest& request, const std::string& url, const ResponseHead& head) {
    if (std::optional<TransferError> old = FromHttpVersion(head.version, request.url)) return Refuse(*old);
    const std::optional<Duration> stall = DelayOf(head, server::kStallHeader);
    if (!stall) return Refuse(BadTimingHeader(server::kStallHeader, request.url, head));
    delay_ = *stall;
    const std::optional<std::uint64_t> rate = RateOf(head);
    if (!rate) return Refuse(BadTimingHeader(server::kRateHeader, request.url, head));
    rate_ = *rate;
    const std::optional<Duration> close_delay = DelayOf(head, server::kCloseDelayHeader);
    if (!close_delay) return Refuse(BadTimingHeader(server::kCloseDelayHeader, request.url, head));
    // A late close holds up only a body that the close delimits (no length, no chunks): a framed
    // body is over at its last byte, whenever the connection goes.
    const bool close_delimited = FramingOf(head, nullptr) == BodyFraming::kClose;
    close_delay_ = close_delimited ? *close_delay : Duration::zero();
    if (const std::optional<Asker> asker = AnswerableChallenge(head, request.server_basic, request.proxy);
        asker && !answered_.For(*asker)) {
      answer_challenge_ = asker;  // Run asks again with the credentials
      return false;
    }
    if (std::optional<std::string> target = RedirectTarget(url, head)) {
      redirected_to_ = *target;
      if (request.redirects == RedirectPolicy::kRefuse) return Refuse(RefusedRedirect(url, head.status, *target));
      redirect_ = std::move(target);  // Run asks there next
      return false;
    }
    const ContentLength length = ContentLengthOf(head);
    if ((head.status == 206 || head.status == 200) && !length.valid) return Refuse(BadLength(request.url, length));
    if (request.dynamic) return AcceptDynamic(request, head, length);
    if (head.status == 206) {
      const std::optional<ContentRange> range = ParseContentRange(head.Value("Content-Range"));
      if (!range || range->first != request.offset) {
        return Refuse({hr::kInvalidServerResponse, ErrorContext::kRemoteFile,
                       "Content-Range '" + head.Value("Content-Range") + "' does not start at byte " +
                           std::to_string(request.offset) + " of " + request.url});
      }
      if (length.present && length.value != range->last - range->first + 1) {
        return Refuse(BadLength(request.url, length));  // the body would not be the range it names
      }
      if (VersionOf(range->total, head) != request.expected_version) return Changed();
      body_end_ = range->last + 1;
      return true;
    }
    if (head.status == 200) {
      const bool other_version = length.present && VersionOf(length.value, head) != request.expected_version;
      // To a resume (it sent If-Range), a 200 for another version is the server saying the file
      // changed, and BITS restarts a file whose size or time stamp changed from byte 0
      // (Microsoft's "File Transfer Consistency" page), as for a 206 of another version. The
      // whole body is not kept: the engine probes the new version first, as for any restart. A
      // 200 with the recorded validators is a server that ignores Range (G10, below).
      if (request.offset > 0 && other_version) return Changed();
      if (!request.accept_whole_body || request.offset != 0) {
        return Refuse({hr::kInsufficientRangeSupport, ErrorContext::kRemoteFile,
                       request.url + " answered a ranged GET with 200 and the whole file"});
      }
      if (other_version) return Changed();
      return true;
    }
    return Refuse(FromHttpStatus(head.status, request.url));
  }

  // DYNAMIC_CONTENT: no Range was asked for, so only a 200 is an answer; its Content-Length, if
  // any, is the file's size (the BITS_JOB_PROPERTY_ID page: HEAD, Content-Length and
  // Content-Range are all optional).
  bool AcceptDynamic(const FetchRequest& request, const ResponseHead& head, const ContentLength& length) {
    if (head.status == 200) {
      if (length.present) body_size_ = length.value;
      return true;
    }
    if (head.status == 206) {
      return Refuse({hr::kInvalidServerResponse, ErrorContext::kRemoteFile,
                     request.url + " answered a request without Range with 206"});
    }
    return Refuse(FromHttpStatus(head.status, request.url));
  }

  bool Refuse(TransferError error) {
    error_ = std::move(error);
    refused_ = true;
    return false;
  }
  bool Changed() {
    remote_changed_ = true;
    refused_ = true;
    return false;
  }

  ConnectionGroup& group_;  // the transport's: this stream's connection reads ahead while others wait
  const std::string url_;
  const std::optional<ProxyRoute> proxy_;
  const std::optional<std::uint64_t> last_byte_;  // the request's closed range, if any
  const bool dynamic_;                              // FetchRequest::dynamic
  std::uint64_t position_;  // file offset of the next byte Take hands out
  std::unique_ptr<HttpConnection> connection_;  // the body still to read; null once it ended
  bool refused_ = false;
  bool remote_changed_ = false;
  TransferError error_;
  std::optional<std::string> redirect_;  // set by Accept when the answer is a redirect to follow
  std::string redirected_to_;             // the last redirect's target (ProbeResult::redirected_to)
  std::optional<Asker> answer_challenge_;  // set by Accept: a 401 or 407 the job's credentials can answer
  AnsweredChallenges answered_;            // what this stream's requests carry
  Duration delay_ = Duration::zero();
  std::uint64_t rate_ = 0;  // the body's pace the server announced (a dribble); 0: none
  Duration close_delay_ = Duration::zero();  // a close-delimited body ends this long after its last byte
  std::uint64_t body_end_ = kSizeUnknown;    // file offset past a 206 body's last byte
  std::uint64_t body_size_ = kSizeUnknown;  // a dynamic answer's Content-Length, when it had one
};

HttpTransport::HttpTransport(HttpTransportOptions options)
    : options_(options), group_(std::make_unique<ConnectionGroup>()) {}

HttpTransport::~HttpTransport() = default;

ProbeResult HttpTransport::Probe(const ProbeRequest& request) {
  const std::string& url = request.url;
  std::string current = url;
  for (int redirects = 0;; ++redirects) {
    if (std::optional<Unreachable> unreachable =
            UnreachableHost(current, request.proxy, options_.unanswered_connect_timeout)) {
      return {unreachable->error, {}, unreachable->after, current != url ? current : std::string()};
    }
    AnsweredChallenges answered;
    const auto ask_head = [&] {
      HeaderFields credentials;
      answered.AddTo(credentials, request.server_basic, request.proxy);
      HttpConnection connection(group_.get());
      return Ask(connection, "HEAD", current, request.proxy, request.headers, credentials, options_);
    };
    Exchange head = ask_head();
    // The proxy may ask (407), and then the server (401): each challenge is answered once.
    for (std::optional<Asker> asker;
         head.error.ok() && (asker = AnswerableChallenge(head.head, request.server_basic, request.proxy)) &&
         !answered.For(*asker);) {
      answered.For(*asker) = true;
      head = ask_head();
    }
    if (!head.error.ok()) return {FromHttpError(head.error, url, false), {}, Duration::zero()};
    std::optional<std::string> target = RedirectTarget(current, head.head);
    if (!target) {
      ProbeResult probe = ProbeFromHead(url, head.head);
      if (current != url) probe.redirected_to = current;
      return probe;
    }
    if (request.redirects == RedirectPolicy::kRefuse) {
      return {RefusedRedirect(current, head.head.status, *target), {},
              DelayOf(head.head, server::kStallHeader).value_or(Duration::zero()), *target};
    }
    if (redirects == kMaxRedirects) {
      return {TooManyRedirects(url), {}, DelayOf(head.head, server::kStallHeader).value_or(Duration::zero())};
    }
    current = std::move(*target);
  }
}

FetchResult HttpTransport::Fetch(const FetchRequest& request, ByteSink& sink) {
  auto found = streams_.find(request.stream_key);
  bool first = false;
  if (found == streams_.end() || !found->second->Continues(request)) {
    streams_.erase(request.stream_key);
    if (request.dynamic && request.offset > 0) {
      // Dynamic content cannot be resumed with Range: the file starts again from byte 0, as a
      // changed file does (the engine's restart).
      FetchResult lost;
      lost.remote_changed = true;
      lost.new_request = false;
      return lost;
    }
    found = streams_.emplace(request.stream_key, std::make_unique<Stream>(request, options_, *group_)).first;
    first = true;
  }
  if (read_buffer_.empty()) read_buffer_.resize(std::max<std::size_t>(1, options_.read_bytes));
  FetchResult result = found->second->Take(request.max_bytes, sink, first, read_buffer_);
  if (!result.error.ok() || result.remote_changed) streams_.erase(found);
  return result;
}

void HttpTransport::Release(const std::string& stream_key) { streams_.erase(stream_key); }

}  // namespace bitsh::fake
