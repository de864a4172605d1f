#include "server/connection_socket.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace bitsh::server {
namespace {

int PortOf(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  return -1;
}

// Waits until the peer's TCP stack has acknowledged every byte written to fd (SIOCOUTQ: bytes
// sent but not acknowledged, plus bytes not sent yet), or until `limit` passes. A reset discards
// whatever is still in the send queue, and how much that is depends on scheduling; once the queue
// is empty the bytes sit in the client's receive queue, which a reset does not purge on Linux, so
// the client reads every byte before the cut and then the reset: the same bytes on every run.
void WaitUntilAcknowledged(int fd, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int unacknowledged = 0;
  while (::ioctl(fd, SIOCOUTQ, &unacknowledged) == 0 && unacknowledged > 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace

bool ArmSocketReset(int fd) {
  // A client that stopped reading cannot hold the server thread longer than this.
  WaitUntilAcknowledged(fd, std::chrono::seconds(10));
  const linger hard_close{1, 0};
  return ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard_close, sizeof hard_close) == 0;
}

int FindConnectionSocket(int local_port, int remote_port) {
  DIR* fds = ::opendir("/proc/self/fd");
  if (fds == nullptr) return -1;
  int found = -1;
  while (dirent* entry = ::readdir(fds)) {
    const int fd = std::atoi(entry->d_name);
    if (fd <= 2) continue;
    sockaddr_storage local{}, peer{};
    socklen_t local_size = sizeof local, peer_size = sizeof peer;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) != 0) continue;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_size) != 0) continue;
    if (PortOf(local) != local_port || PortOf(peer) != remote_port) continue;
    found = fd;
    break;
  }
  ::closedir(fds);
  return found;
}

bool ArmConnectionReset(int local_port, int remote_port) {
  const int fd = FindConnectionSocket(local_port, remote_port);
  return fd >= 0 && ArmSocketReset(fd);
}

}  // namespace bitsh::server
