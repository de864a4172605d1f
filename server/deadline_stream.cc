#include "server/deadline_stream.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace bitsh::server {
namespace {

using std::chrono::milliseconds;

void IpAndPort(const sockaddr_storage& address, socklen_t size, std::string& ip, int& port) {
  char host[NI_MAXHOST] = {}, service[NI_MAXSERV] = {};
  if (::getnameinfo(reinterpret_cast<const sockaddr*>(&address), size, host, sizeof host, service, sizeof service,
                    NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host;
    port = std::atoi(service);
  }
}

}  // namespace

DeadlineStream::DeadlineStream(int fd, std::string pending, Clock::time_point read_deadline, milliseconds read_timeout,
                               milliseconds write_timeout)
    : fd_(fd), pending_(std::move(pending)), read_deadline_(read_deadline), read_timeout_(read_timeout),
      write_timeout_(write_timeout) {}

bool DeadlineStream::WaitFor(short events, milliseconds limit) const {
  pollfd entry{fd_, events, 0};
  int ready;
  do {
    ready = ::poll(&entry, 1, static_cast<int>(std::max<milliseconds::rep>(limit.count(), 0)));
  } while (ready < 0 && errno == EINTR);
  return ready > 0;
}

bool DeadlineStream::is_readable() const {
  if (consumed_ < pending_.size()) return true;
  const auto left = std::chrono::duration_cast<milliseconds>(read_deadline_ - Clock::now());
  return left.count() > 0 && WaitFor(POLLIN, std::min(left, read_timeout_));
}

bool DeadlineStream::is_writable() const {
  if (!WaitFor(POLLOUT, write_timeout_)) return false;
  // Alive unless the peer's end is closed: a peek finds end of stream (0) only then.
  char byte;
  const ssize_t n = ::recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n != 0 && !(n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

ssize_t DeadlineStream::read(char* ptr, size_t size) {
  if (consumed_ < pending_.size()) {
    const std::size_t n = std::min(size, pending_.size() - consumed_);
    std::memcpy(ptr, pending_.data() + consumed_, n);
    consumed_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t n = -1;
  if (is_readable()) {
    do {
      n = ::recv(fd_, ptr, size, MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
  }
  if (n <= 0) read_failed_ = true;
  return n;
}

ssize_t DeadlineStream::write(const char* ptr, size_t size) {
  if (!is_writable()) return -1;
  ssize_t n;
  do {
    n = ::send(fd_, ptr, size, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n;
}

void DeadlineStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t size = sizeof address;
  if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&address), &size) == 0) IpAndPort(address, size, ip, port);
}

void DeadlineStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t size = sizeof address;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) == 0) IpAndPort(address, size, ip, port);
}

std::string DeadlineStream::TakeUnread() {
  std::string unread = pending_.substr(consumed_);
  pending_.clear();
  consumed_ = 0;
  return unread;
}

}  // namespace bitsh::server
