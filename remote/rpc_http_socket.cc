// RpcHttp over a plain TCP socket, the same code on Linux and Windows (Winsock): a request is one
// send() of head and body on a connection with TCP_NODELAY, kept alive between calls.
//
// Why not the platform's HTTP client (docs/bitshd.md, "Why JSON over HTTP"): WinHTTP under Wine
// sends a POST's head and body in two writes, and Nagle's algorithm then holds the body until the
// server's delayed ACK, about 40 ms a call (the conformance suite's 14-day test took 576 s through
// it). bitshd is our own server on loopback and answers with a Content-Length, so the client side
// of HTTP/1.1 it needs is small.
#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <optional>

#include "remote/rpc_http.h"

namespace bitsh::remote {
namespace {

#ifdef _WIN32
using Socket = SOCKET;
constexpr Socket kNoSocket = INVALID_SOCKET;
constexpr int kSendFlags = 0;
void CloseSocket(Socket socket) { closesocket(socket); }
int LastError() { return WSAGetLastError(); }
bool Interrupted() { return WSAGetLastError() == WSAEINTR; }
bool ConnectionClosed() { return WSAGetLastError() == WSAECONNRESET || WSAGetLastError() == WSAECONNABORTED; }
// Winsock must be started once per process before any socket call.
bool StartSockets() {
  static const bool started = [] {
    WSADATA data;
    return WSAStartup(MAKEWORD(2, 2), &data) == 0;
  }();
  return started;
}
#else
using Socket = int;
constexpr Socket kNoSocket = -1;
constexpr int kSendFlags = MSG_NOSIGNAL;  // a closed connection is an error to report, not SIGPIPE
void CloseSocket(Socket socket) { ::close(socket); }
int LastError() { return errno; }
bool Interrupted() { return errno == EINTR; }
bool ConnectionClosed() { return errno == ECONNRESET || errno == EPIPE; }
bool StartSockets() { return true; }
#endif

// "http://HOST:PORT[/...]" -> "HOST:PORT", the Host header's value.
std::string Authority(const std::string& url) {
  std::string authority = url.substr(std::min(url.size(), std::string_view("http://").size()));
  if (const std::size_t slash = authority.find('/'); slash != std::string::npos) authority.resize(slash);
  return authority;
}

// "http://HOST:PORT" -> HOST, PORT ("[::1]" loses its brackets). nullopt for another form.
std::optional<std::pair<std::string, std::string>> HostAndPort(const std::string& url) {
  if (!url.starts_with("http://")) return std::nullopt;
  const std::string authority = Authority(url);
  const std::size_t colon = authority.rfind(':');
  if (colon == std::string::npos || colon + 1 == authority.size()) return std::nullopt;
  std::string host = authority.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return std::pair{host, authority.substr(colon + 1)};
}

// The value of header `name` (case-blind) in `head`, or "".
std::string HeaderValue(std::string_view head, std::string_view name) {
  std::size_t at = head.find("\r\n");
  while (at != std::string_view::npos && at + 2 < head.size()) {
    const std::size_t end = head.find("\r\n", at + 2);
    const std::string_view line = head.substr(at + 2, (end == std::string_view::npos ? head.size() : end) - at - 2);
    const std::size_t colon = line.find(':');
    if (colon == name.size()) {
      bool same = true;
      for (std::size_t i = 0; i < colon && same; ++i) {
        same = std::tolower(static_cast<unsigned char>(line[i])) == std::tolower(static_cast<unsigned char>(name[i]));
      }
      if (same) {
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
        return std::string(value);
      }
    }
    at = end;
  }
  return {};
}

class SocketRpc final : public RpcHttp {
 public:
  SocketRpc(std::string base_url, const std::string& token)
      : url_(std::move(base_url)), authority_(Authority(url_)), authorization_("Bearer " + token) {}
  ~SocketRpc() override { Disconnect(); }

  Result<Reply> Post(const std::string& path, const std::string& body) override {
    // bitshd closes a connection after five quiet seconds; one quiet for two is replaced before
    // use, so that a request is not sent into a connection the server is closing.
    if (socket_ != kNoSocket && std::chrono::steady_clock::now() - last_used_ > std::chrono::seconds(2)) Disconnect();
    const bool reused = socket_ != kNoSocket;
    Result<Reply> reply = Exchange(path, body);
    // A kept-alive connection the server closed all the same: the request was refused before it
    // was read (a reset or an end of stream, nothing answered), so it is sent once more on a new
    // connection. Never after a timeout or with any answer read: the server may have run it.
    if (!reply.ok() && reused && closed_unanswered_) {
      Disconnect();
      reply = Exchange(path, body);
    }
    last_used_ = std::chrono::steady_clock::now();
    return reply;
  }

 private:
  Status Failed(const std::string& what) const {
    return Status(hr::kFail, what + " " + url_ + " failed (error " + std::to_string(LastError()) + ")");
  }

  Status Connect() {
    if (!StartSockets()) return Failed("starting Winsock for");
    const auto host_port = HostAndPort(url_);
    if (!host_port) return Status::InvalidArg("not an http://HOST:PORT URL: " + url_);
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(host_port->first.c_str(), host_port->second.c_str(), &hints, &found) != 0 || found == nullptr) {
      return Failed("resolving");
    }
    for (addrinfo* address = found; address != nullptr && socket_ == kNoSocket; address = address->ai_next) {
      const Socket candidate = ::socket(address->ai_family, address->ai_socktype, address->ai_protocol);
      if (candidate == kNoSocket) continue;
      if (::connect(candidate, address->ai_addr, static_cast<int>(address->ai_addrlen)) == 0) {
        socket_ = candidate;
      } else {
        CloseSocket(candidate);
      }
    }
    freeaddrinfo(found);
    if (socket_ == kNoSocket) return Failed("connecting to");
    int on = 1;
    setsockopt(socket_, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char*>(&on), sizeof on);
    // An answer may take as long as the events of its call run; only a service that is gone
    // (the connection closes) ends a wait early.
#ifdef _WIN32
    const DWORD timeout_ms = 3'600'000;
#else
    const timeval timeout_ms{3600, 0};
#endif
    setsockopt(socket_, SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<const char*>(&timeout_ms), sizeof timeout_ms);
    return Status::Ok();
  }

  void Disconnect() {
    if (socket_ != kNoSocket) CloseSocket(socket_);
    socket_ = kNoSocket;
    buffered_.clear();
  }

  Result<Reply> Exchange(const std::string& path, const std::string& body) {
    answered_anything_ = false;
    closed_unanswered_ = false;
    if (socket_ == kNoSocket) {
      if (Status connected = Connect(); !connected.ok()) return connected;
    }
    std::string request = "POST " + path + " HTTP/1.1\r\nHost: " + authority_ +
                          "\r\nAuthorization: " + authorization_ +
                          "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                          "\r\n\r\n" + body;
    for (std::size_t sent = 0; sent < request.size();) {
      const auto n = ::send(socket_, request.data() + sent, static_cast<int>(request.size() - sent), kSendFlags);
      if (n < 0 && Interrupted()) continue;
      if (n <= 0) {
        closed_unanswered_ = ConnectionClosed();
        const Status failed = Failed("sending to");
        Disconnect();
        return failed;
      }
      sent += static_cast<std::size_t>(n);
    }
    // The head, then Content-Length bytes of body.
    std::size_t head_end;
    while ((head_end = buffered_.find("\r\n\r\n")) == std::string::npos) {
      if (Status read = ReadMore(); !read.ok()) return read;
    }
    const std::string head = buffered_.substr(0, head_end);
    buffered_.erase(0, head_end + 4);
    Reply reply;
    if (head.size() < 12 || !head.starts_with("HTTP/1.")) {
      Disconnect();
      return Status(hr::kFail, "not an HTTP answer from " + url_ + ": " + head.substr(0, 80));
    }
    std::from_chars(head.data() + 9, head.data() + 12, reply.status);
    std::size_t length = 0;
    const std::string length_text = HeaderValue(head, "Content-Length");
    if (!length_text.empty()) std::from_chars(length_text.data(), length_text.data() + length_text.size(), length);
    if (length_text.empty() && !HeaderValue(head, "Transfer-Encoding").empty()) {
      Disconnect();
      return Status(hr::kFail, "an answer from " + url_ + " without Content-Length: bitshd always sends one");
    }
    while (buffered_.size() < length) {
      if (Status read = ReadMore(); !read.ok()) return read;
    }
    reply.body = buffered_.substr(0, length);
    buffered_.erase(0, length);
    std::string connection = HeaderValue(head, "Connection");
    for (char& c : connection) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (connection == "close") Disconnect();
    return reply;
  }

  Status ReadMore() {
    char chunk[16384];
    auto n = ::recv(socket_, chunk, sizeof chunk, 0);
    while (n < 0 && Interrupted()) n = ::recv(socket_, chunk, sizeof chunk, 0);  // a signal is not an answer
    if (n <= 0) {
      closed_unanswered_ = !answered_anything_ && (n == 0 || ConnectionClosed());
      const Status failed = n == 0 ? Status(hr::kFail, url_ + " closed the connection before answering")
                                   : Failed("receiving from");
      Disconnect();
      return failed;
    }
    answered_anything_ = true;
    buffered_.append(chunk, static_cast<std::size_t>(n));
    return Status::Ok();
  }

  std::string url_;
  std::string authority_;  // HOST:PORT, for the Host header
  std::string authorization_;
  Socket socket_ = kNoSocket;
  std::string buffered_;        // bytes received and not yet taken
  bool answered_anything_ = false;  // this exchange received at least one byte
  bool closed_unanswered_ = false;  // and it failed because the server closed before answering
  std::chrono::steady_clock::time_point last_used_{};
};

}  // namespace

std::unique_ptr<RpcHttp> RpcHttp::Connect(const std::string& base_url, const std::string& token) {
  return std::make_unique<SocketRpc>(base_url, token);
}

}  // namespace bitsh::remote
