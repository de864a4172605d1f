// RawServer: a test server on 127.0.0.1 that answers every connection with fixed bytes, for
// responses no well-behaved server library would send (broken framing, a body cut short, a server
// that goes quiet). It stops when destroyed, or by itself after 60 real seconds.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <utility>

namespace bitsh::fake::testing {

class RawServer {
 public:
  // What happens to a connection after its answer is sent.
  enum class AfterAnswer {
    kClose,     // closed at once
    kHoldOpen,  // held open, silent, until the server stops
    kTrickle,   // held open, sending a byte ('.') every kTrickleEvery, until the server stops
  };

  // Answers `head` to a HEAD request and `get` to anything else; then, when `get_later` is not
  // empty, sends it kLaterPause after `get`: by then a client that read `get` is waiting for more.
  RawServer(std::string head, std::string get, AfterAnswer after = AfterAnswer::kClose, std::string get_later = "")
      : head_(std::move(head)), get_(std::move(get)), get_later_(std::move(get_later)), after_(after) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), size) != 0 || ::listen(listener_, 8) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
      return;
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~RawServer() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    ::close(listener_);
  }
  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;

  int port() const { return port_; }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/track.wma"; }
  int requests() const { return requests_; }

  static constexpr std::chrono::milliseconds kLaterPause{100};
  static constexpr std::chrono::milliseconds kTrickleEvery{1};

 private:
  void Serve() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!stop_ && std::chrono::steady_clock::now() < deadline) {
      pollfd ready{listener_, POLLIN, 0};
      if (::poll(&ready, 1, 50) <= 0) continue;
      const int connection = ::accept(listener_, nullptr, nullptr);
      if (connection < 0) continue;
      const timeval timeout{5, 0};
      ::setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
      std::string request;
      char buffer[4096];
      while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
        const ssize_t n = ::recv(connection, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        request.append(buffer, static_cast<std::size_t>(n));
      }
      ++requests_;
      const bool head = request.starts_with("HEAD ");
      SendAll(connection, head ? head_ : get_);
      if (!head && !get_later_.empty()) {
        std::this_thread::sleep_for(kLaterPause);
        SendAll(connection, get_later_);
      }
      while (after_ != AfterAnswer::kClose && !stop_ && std::chrono::steady_clock::now() < deadline) {
        if (after_ == AfterAnswer::kTrickle) {
          SendAll(connection, ".");
          std::this_thread::sleep_for(kTrickleEvery);
        } else {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
      }
      ::shutdown(connection, SHUT_RDWR);
      ::close(connection);
    }
  }

  static void SendAll(int connection, const std::string& bytes) {
    for (std::size_t sent = 0; sent < bytes.size();) {
      const ssize_t n = ::send(connection, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
  }

  const std::string head_, get_, get_later_;
  const AfterAnswer after_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace bitsh::fake::testing
