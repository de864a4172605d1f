#include "server/forward_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "backend/utf8.h"
#include "server/connection_reset.h"
#include "server/control_guard.h"
#include "server/request_head.h"

namespace bitsh::server {
namespace {

using Milliseconds = std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kMaxOriginHeadBytes = 64 * 1024;  // an origin head past this is relayed unread

void SetNonBlocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL, 0) | O_NONBLOCK); }

// Waits until `fd` can be read (POLLIN) or written (POLLOUT); false on timeout or error.
bool WaitFor(int fd, short events, Milliseconds timeout) {
  pollfd entry{fd, events, 0};
  int ready;
  do {
    ready = ::poll(&entry, 1, static_cast<int>(timeout.count()));
  } while (ready < 0 && errno == EINTR);
  return ready > 0;
}

bool WriteAll(int fd, std::string_view data, Milliseconds timeout) {
  while (!data.empty()) {
    if (!WaitFor(fd, POLLOUT, timeout)) return false;
    const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

// Reads what has arrived (waiting up to `timeout` for something): the count, 0 at the end of the
// stream, -1 on error or timeout.
ssize_t ReadSome(int fd, char* buffer, std::size_t size, Milliseconds timeout) {
  for (;;) {
    if (!WaitFor(fd, POLLIN, timeout)) return -1;
    const ssize_t got = ::recv(fd, buffer, size, 0);
    if (got >= 0) return got;
    if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) return -1;
  }
}

// The request line and fields of a head (ExamineHead has checked its size and field count).
struct ProxyRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> fields;
  std::optional<std::string> Field(std::string_view name) const {
    for (const auto& [field, value] : fields) {
      if (AsciiLower(field) == AsciiLower(name)) return value;
    }
    return std::nullopt;
  }
};

std::optional<ProxyRequest> ParseRequestHead(std::string_view head) {
  ProxyRequest request;
  std::size_t line_end = head.find("\r\n");
  const std::string_view line = head.substr(0, line_end);
  const std::size_t first_space = line.find(' '), last_space = line.rfind(' ');
  if (first_space == std::string_view::npos || last_space == first_space) return std::nullopt;
  request.method = std::string(line.substr(0, first_space));
  request.target = std::string(line.substr(first_space + 1, last_space - first_space - 1));
  if (!line.substr(last_space + 1).starts_with("HTTP/1.")) return std::nullopt;
  while (line_end != std::string_view::npos && line_end + 2 < head.size()) {
    const std::size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string_view field = head.substr(start, line_end == std::string_view::npos ? std::string_view::npos : line_end - start);
    if (field.empty()) break;
    const std::size_t colon = field.find(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    std::string_view value = field.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    request.fields.emplace_back(std::string(field.substr(0, colon)), std::string(value));
  }
  return request;
}

// The origin an absolute-form target names: "http://host[:port]/path?query".
struct Origin {
  std::string authority;  // "host[:port]" as written, for the loopback check
  std::string host;
  int port = 80;
  std::string path_and_query;
  std::string path;  // without the query: what faults and the log name
};

std::optional<Origin> ParseAbsoluteTarget(std::string_view target) {
  if (AsciiLower(target.substr(0, 7)) != "http://") return std::nullopt;
  target.remove_prefix(7);
  const std::size_t slash = target.find('/');
  std::string_view authority = target.substr(0, slash);
  Origin origin;
  origin.authority = std::string(authority);
  origin.path_and_query = slash == std::string_view::npos ? "/" : std::string(target.substr(slash));
  origin.path = origin.path_and_query.substr(0, origin.path_and_query.find('?'));
  if (authority.find('@') != std::string_view::npos) return std::nullopt;  // no user info in a request target
  std::string_view port;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    origin.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return std::nullopt;
      port = authority.substr(close + 2);
    }
  } else {
    const std::size_t colon = authority.find(':');
    origin.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (!port.empty()) {
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), origin.port);
    if (error != std::errc() || end != port.data() + port.size() || origin.port < 1 || origin.port > 65535) {
      return std::nullopt;
    }
  }
  if (origin.host.empty()) return std::nullopt;
  return origin;
}

// A connected, non-blocking socket to host:port, or -1.
int ConnectTo(const Origin& origin, Milliseconds timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(origin.host.c_str(), std::to_string(origin.port).c_str(), &hints, &found) != 0) return -1;
  int connected = -1;
  for (addrinfo* address = found; address != nullptr && connected < 0; address = address->ai_next) {
    const int fd = ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol);
    if (fd < 0) continue;
    SetNonBlocking(fd);
    int error = 0;
    socklen_t size = sizeof error;
    if ((::connect(fd, address->ai_addr, address->ai_addrlen) == 0 ||
         (errno == EINPROGRESS && WaitFor(fd, POLLOUT, timeout) &&
          ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) == 0 && error == 0))) {
      connected = fd;
    } else {
      ::close(fd);
    }
  }
  ::freeaddrinfo(found);
  return connected;
}

// The request as the origin gets it: origin form, without the fields meant for the proxy or for
// this hop, and one request per connection.
std::string OriginRequest(const ProxyRequest& request, const Origin& origin) {
  std::string head = request.method + " " + origin.path_and_query + " HTTP/1.1\r\n";
  for (const auto& [name, value] : request.fields) {
    const std::string lower = AsciiLower(name);
    if (lower.starts_with("proxy-") || lower == "connection" || lower == "keep-alive") continue;
    head += name + ": " + value + "\r\n";
  }
  return head + "Connection: close\r\n\r\n";
}

// The Content-Length of an answer head, when it has one readable value.
std::optional<std::uint64_t> ContentLengthOf(std::string_view head) {
  const std::string lower = AsciiLower(head);
  const std::size_t at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return std::nullopt;
  std::size_t digits = at + 17;
  while (digits < lower.size() && lower[digits] == ' ') ++digits;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(lower.data() + digits, lower.data() + lower.size(), value);
  if (error != std::errc() || end == lower.data() + digits) return std::nullopt;
  return value;
}

// The status code of an answer's first line ("HTTP/1.1 206 Partial Content"), 0 when unreadable.
int StatusOf(std::string_view head) {
  const std::size_t space = head.find(' ');
  int status = 0;
  if (space == std::string_view::npos || space + 4 > head.size()) return 0;
  std::from_chars(head.data() + space + 1, head.data() + space + 4, status);
  return status;
}

}  // namespace

ForwardProxy::ForwardProxy(ForwardProxyOptions options)
    : options_(std::move(options)), log_(options_.log_budget_bytes) {}

ForwardProxy::~ForwardProxy() { Stop(); }

std::string ForwardProxy::address() const {
  const bool v6 = options_.bind_address.find(':') != std::string::npos;
  return (v6 ? "[" + options_.bind_address + "]" : options_.bind_address) + ":" + std::to_string(port_);
}

Status ForwardProxy::Start() {
  const std::string where = options_.bind_address + ":" + std::to_string(options_.port);
  sockaddr_storage address{};
  socklen_t size = 0;
  if (options_.bind_address.find(':') != std::string::npos) {
    auto& v6 = reinterpret_cast<sockaddr_in6&>(address);
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(static_cast<std::uint16_t>(options_.port));
    if (::inet_pton(AF_INET6, options_.bind_address.c_str(), &v6.sin6_addr) != 1) return Status(hr::kFail, "cannot read address " + where);
    size = sizeof v6;
  } else {
    auto& v4 = reinterpret_cast<sockaddr_in&>(address);
    v4.sin_family = AF_INET;
    v4.sin_port = htons(static_cast<std::uint16_t>(options_.port));
    if (::inet_pton(AF_INET, options_.bind_address.c_str(), &v4.sin_addr) != 1) return Status(hr::kFail, "cannot read address " + where);
    size = sizeof v4;
  }
  listen_fd_ = ::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int yes = 1;
  if (listen_fd_ < 0 || ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes) != 0 ||
      ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), size) != 0 || ::listen(listen_fd_, 64) != 0) {
    const std::string why = std::strerror(errno);
    if (listen_fd_ >= 0) ::close(listen_fd_);
    listen_fd_ = -1;
    return Status(hr::kFail, "cannot bind the proxy to " + where + ": " + why);
  }
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &size);
  port_ = ntohs(address.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6&>(address).sin6_port
                                              : reinterpret_cast<sockaddr_in&>(address).sin_port);
  accept_thread_ = std::thread([this] { AcceptLoop(); });
  return Status::Ok();
}

void ForwardProxy::Stop() {
  if (!accept_thread_.joinable()) return;
  stopping_ = true;
  accept_thread_.join();
  ::close(listen_fd_);
  listen_fd_ = -1;
  {
    // Wakes every connection thread out of its poll: each sees an error and ends.
    std::lock_guard lock(mutex_);
    for (const auto& [client, thread] : connections_) ::shutdown(client, SHUT_RDWR);
    for (const auto& [client, origin] : origins_) ::shutdown(origin, SHUT_RDWR);
  }
  Reap(true);
}

void ForwardProxy::Reap(bool all) {
  std::vector<std::pair<int, std::thread>> done;
  {
    std::lock_guard lock(mutex_);
    std::vector<int> clients = all ? std::vector<int>() : std::exchange(finished_, {});
    if (all) {
      for (const auto& [client, thread] : connections_) clients.push_back(client);
      finished_.clear();
    }
    for (int client : clients) {
      auto found = connections_.find(client);
      if (found == connections_.end()) continue;
      done.emplace_back(client, std::move(found->second));
      connections_.erase(found);
    }
  }
  // The socket is closed only after its thread ended, so Stop never shuts down a reused number.
  for (auto& [client, thread] : done) {
    thread.join();
    ::close(client);
  }
}

void ForwardProxy::AcceptLoop() {
  while (!stopping_) {
    Reap(false);
    if (!WaitFor(listen_fd_, POLLIN, Milliseconds(50))) continue;
    const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (client < 0) continue;
    std::lock_guard lock(mutex_);
    if (connections_.size() >= options_.max_connections) {
      WriteAll(client, RejectionResponse(503, "too many connections to the proxy"), Milliseconds(100));
      ::close(client);
      continue;
    }
    connections_.emplace(client, std::thread([this, client] { Serve(client); }));
  }
}

Status ForwardProxy::AddFault(ServerFault fault) {
  if (!ProxyApplies(fault.kind)) {
    return Status::InvalidArg("a proxy does not apply fault " + std::string(ToString(fault.kind)) + " (" +
                              ProxyFaultKindNames() + " only)");
  }
  if (Status usable = CheckFault(fault); !usable.ok()) return usable;
  std::lock_guard lock(mutex_);
  if (!faults_.Add(std::move(fault))) return Status::InvalidArg("the proxy holds its most faults already");
  return Status::Ok();
}

std::optional<ServerFault> ForwardProxy::TakeFault(const std::string& path, const std::string& method) {
  std::lock_guard lock(mutex_);
  return faults_.Take(path, method);
}

void ForwardProxy::Serve(int client) {
  const Milliseconds io = options_.io_timeout;
  RequestRecord record;
  // The record goes into the log before the answer goes out: a client that has read the answer
  // (and sent its next request) must find it there, in order.
  const auto answer = [&](int status, std::string_view text, std::string_view extra_fields = "") {
    record.status = status;
    record.note = std::string(text);
    if (!record.method.empty()) log_.Add(record);
    WriteAll(client, RejectionResponse(status, text, extra_fields), io);
  };
  const auto finish_locked = [&] {  // REQUIRES: mutex_ held
    ::shutdown(client, SHUT_WR);
    finished_.push_back(client);
  };
  const auto finish = [&] {
    std::lock_guard lock(mutex_);
    finish_locked();
  };

  // The request head, within the head limits and the head timeout.
  std::string buffered;
  const SteadyClock::time_point deadline = SteadyClock::now() + options_.limits.head_timeout;
  HeadVerdict verdict;
  char chunk[16 * 1024];
  while ((verdict = ExamineHead(buffered, options_.limits)).kind == HeadVerdict::Kind::kIncomplete) {
    const auto left = std::chrono::duration_cast<Milliseconds>(deadline - SteadyClock::now());
    const ssize_t got = left.count() > 0 ? ReadSome(client, chunk, sizeof chunk, left) : -1;
    if (got <= 0) {
      if (got < 0 && !stopping_) WriteAll(client, RejectionResponse(408, "the request head took too long"), io);
      finish();
      return;
    }
    buffered.append(chunk, static_cast<std::size_t>(got));
  }
  if (verdict.kind == HeadVerdict::Kind::kReject) {
    WriteAll(client, RejectionResponse(verdict.status, verdict.reason), io);
    finish();
    return;
  }
  const std::optional<ProxyRequest> request = ParseRequestHead(buffered.substr(0, buffered.find("\r\n\r\n") + 2));
  if (!request) {
    answer(400, "the request head cannot be read");
    finish();
    return;
  }
  if (request->method == "CONNECT") {
    record.method = request->method;
    record.path = request->target;
    answer(501, "CONNECT (https through the proxy) is not simulated");
    finish();
    return;
  }
  const std::optional<Origin> origin = ParseAbsoluteTarget(request->target);
  record.method = request->method;
  record.path = origin ? origin->path : request->target;
  record.range = request->Field("Range").value_or("");
  record.if_range = request->Field("If-Range").value_or("");
  for (const auto& field : request->fields) record.headers.push_back(field);
  std::sort(record.headers.begin(), record.headers.end());
  if (!origin) {
    answer(400, "a proxy takes absolute http:// URLs, not '" + request->target + "'");
    finish();
    return;
  }
  if (request->method != "GET" && request->method != "HEAD") {
    answer(501, "the proxy forwards GET and HEAD only");
    finish();
    return;
  }

  const std::optional<ServerFault> fault = TakeFault(origin->path, request->method);
  if (fault) record.fault = std::string(ToString(fault->kind));
  // Proxy authentication: the proxy's own credentials, or a fault's for this path.
  std::string credentials = options_.basic_credentials;
  if (fault && fault->kind == FaultKind::kRequireBasicAuth) credentials = fault->basic_credentials;
  if (!credentials.empty()) {
    const std::size_t colon = credentials.find(':');
    const auto expected = httplib::make_basic_authentication_header(
        credentials.substr(0, colon), colon == std::string::npos ? "" : credentials.substr(colon + 1), true);
    const std::optional<std::string> got = request->Field("Proxy-Authorization");
    if (got != expected.second) {
      answer(407, got ? "wrong proxy credentials" : "no proxy credentials",
             "Proxy-Authenticate: Basic realm=\"bitsh-proxy\"\r\n");
      finish();
      return;
    }
    if (fault && fault->kind == FaultKind::kRequireBasicAuth) record.fault.clear();  // it let the request through
  }
  if (fault && fault->kind == FaultKind::kStatus) {
    const std::string retry_after =
        fault->retry_after_s >= 0 ? "Retry-After: " + std::to_string(fault->retry_after_s) + "\r\n" : "";
    answer(fault->status, "scripted status from the proxy", retry_after);
    finish();
    return;
  }
  // The control API's rule: "localhost" or a loopback address, never a name that looks like one.
  if (!options_.allow_remote_origins && !IsLoopbackAuthority(origin->authority)) {
    answer(403, "the proxy reaches loopback origins only, not " + origin->host);
    finish();
    return;
  }
  const int upstream = ConnectTo(*origin, io);
  if (upstream < 0) {
    answer(502, "cannot connect to " + origin->host + ":" + std::to_string(origin->port));
    finish();
    return;
  }
  {
    // Registered under the lock Stop takes, so that Stop either sees it (and shuts it down) or
    // this thread sees Stop's flag.
    std::lock_guard lock(mutex_);
    if (stopping_) {
      ::close(upstream);
      finish_locked();
      return;
    }
    origins_[client] = upstream;
  }
  // The origin's answer, copied back; its head is read first (status for the log, the place to
  // add a stall header, where the body starts for a cut).
  // A HEAD answer has no body to cut.
  std::uint64_t cut = fault && request->method != "HEAD" &&
                              (fault->kind == FaultKind::kCloseAfterBytes || fault->kind == FaultKind::kResetAfterBytes)
                          ? fault->after_bytes
                          : UINT64_MAX;
  if (cut == UINT64_MAX && fault && (fault->kind == FaultKind::kCloseAfterBytes || fault->kind == FaultKind::kResetAfterBytes)) {
    record.fault.clear();  // a HEAD: nothing to cut, nothing injected
  }
  bool head_done = false, cut_reached = false;
  std::optional<std::size_t> logged;  // the record's number, once the head went to the client
  std::uint64_t body_sent = 0;
  std::string head;
  if (WriteAll(upstream, OriginRequest(*request, *origin), io)) {
    while (!stopping_) {
      const ssize_t got = ReadSome(upstream, chunk, sizeof chunk, io);
      if (got <= 0) break;
      std::string_view piece(chunk, static_cast<std::size_t>(got));
      if (!head_done) {
        head.append(piece);
        const std::size_t end = head.find("\r\n\r\n");
        if (end == std::string::npos && head.size() < kMaxOriginHeadBytes) continue;
        head_done = true;
        const std::size_t body_start = end == std::string::npos ? head.size() : end + 4;
        record.status = StatusOf(head);
        std::string out = head.substr(0, body_start);
        // A cut at or past the body's end comes after its last byte, as at the file server.
        const std::optional<std::uint64_t> length = ContentLengthOf(out);
        if (cut != UINT64_MAX && length && *length <= cut) {
          cut = *length;
          record.note = fault->kind == FaultKind::kResetAfterBytes ? "reset after the last byte" : "closed after the last byte";
        }
        // A stall or a dribble of the proxy's own: the header goes in after the status line.
        if (fault && (fault->kind == FaultKind::kStall || fault->kind == FaultKind::kDribble)) {
          if (const std::size_t line_end = out.find("\r\n"); line_end != std::string::npos) {
            const std::string field = fault->kind == FaultKind::kStall
                                          ? std::string(kStallHeader) + ": " + std::to_string(fault->stall.count())
                                          : std::string(kRateHeader) + ": " + std::to_string(fault->rate_bytes_per_s);
            out.insert(line_end + 2, field + "\r\n");
          }
        }
        // Logged before the head goes out, and each body piece counted before it is written, as
        // the file server does: a client that has read bytes finds them in the log.
        logged = log_.Add(record);
        if (!WriteAll(client, out, io)) break;
        piece = std::string_view(head).substr(body_start);
      }
      const std::uint64_t allowed = std::min<std::uint64_t>(piece.size(), cut - body_sent);
      log_.AddBytesSent(*logged, allowed);
      if (!WriteAll(client, piece.substr(0, static_cast<std::size_t>(allowed)), io)) {
        log_.TakeBackBytesSent(*logged, allowed);
        break;
      }
      body_sent += allowed;
      if (body_sent >= cut) {
        cut_reached = true;
        break;
      }
    }
  }
  if (!logged) {  // nothing reached the client yet: the proxy answers for the origin
    record.fault.clear();
    answer(502, "the origin sent no complete answer");
  }
  if (cut_reached && fault->kind == FaultKind::kResetAfterBytes) ArmSocketReset(client);
  {
    std::lock_guard lock(mutex_);
    origins_.erase(client);
  }
  ::close(upstream);
  if (cut_reached && fault->kind == FaultKind::kResetAfterBytes) {
    std::lock_guard lock(mutex_);
    finished_.push_back(client);  // no shutdown first: the close with linger 0 is the reset
    return;
  }
  finish();
}

}  // namespace bitsh::server
