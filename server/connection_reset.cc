#include "server/connection_reset.h"

#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <chrono>
#include <thread>

namespace bitsh::server {
namespace {

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

}  // namespace bitsh::server
