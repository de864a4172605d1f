// RawExchange: one request written as is on a new loopback connection, for server tests that need
// to send what cpp-httplib's client would not (absolute targets, CONNECT, broken heads) or to read
// an answer byte for byte.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <string>

namespace bitsh::server::testing {

// Sends `request` to 127.0.0.1:`port` and returns all the server sent before closing the
// connection (or 5 s of silence). For a GET answered 304 by the file server: the answer rightly
// carries the Content-Length a 200 would (RFC 9110 §8.6), and httplib 0.11's client then waits for
// a body that never comes.
inline std::string RawExchange(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string answer;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0 &&
      ::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size())) {
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

}  // namespace bitsh::server::testing
