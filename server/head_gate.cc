#include "server/head_gate.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "server/request_head.h"

namespace bitsh::server {
namespace {

using std::chrono::milliseconds;

// How long a rejected connection is drained before it is closed: long enough for a client to
// finish sending a modest body over loopback and read the answer, short enough to cost nothing.
constexpr milliseconds kLinger{2'000};
// The longest single poll(): deadlines are checked at least this often.
constexpr milliseconds kLongestWait{1'000};

}  // namespace

void CloseConnection(int fd) {
  // A socket armed for a reset (SO_LINGER 0: ArmSocketReset) is closed without a shutdown
  // first, which would send a FIN ahead of the RST: the client would read an orderly end and not
  // the reset the fault promised.
  linger how{};
  socklen_t size = sizeof how;
  const bool armed = ::getsockopt(fd, SOL_SOCKET, SO_LINGER, &how, &size) == 0 && how.l_onoff != 0 && how.l_linger == 0;
  if (!armed) ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

HeadGate::HeadGate(HttpLimits limits, Ready ready) : limits_(limits), ready_(std::move(ready)) {}

HeadGate::~HeadGate() {
  Stop();
  for (const int fd : wake_) {
    if (fd >= 0) ::close(fd);
  }
}

void HeadGate::Start() {
  if (::pipe(wake_) != 0) wake_[0] = wake_[1] = -1;  // then the poll() timeout alone paces the loop
  thread_ = std::thread([this] { Run(); });
}

void HeadGate::Admit(int fd) {
  Enqueue({.connection = {fd, "", 0}, .deadline = Clock::now() + limits_.head_timeout});
}

void HeadGate::Park(WaitingConnection connection) {
  const bool started = !connection.pending.empty();
  const auto limit = started ? limits_.head_timeout : limits_.keep_alive_idle;
  Enqueue({.connection = std::move(connection), .deadline = Clock::now() + limit, .started = started});
}

void HeadGate::Enqueue(Entry entry) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      incoming_.push_back(std::move(entry));
      entry.connection.fd = -1;
    }
  }
  if (entry.connection.fd >= 0) {
    CloseConnection(entry.connection.fd);  // the server is stopping
    return;
  }
  if (wake_[1] >= 0) {
    const char byte = 0;
    [[maybe_unused]] const ssize_t n = ::write(wake_[1], &byte, 1);  // a full pipe wakes poll() anyway
  }
}

void HeadGate::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  if (wake_[1] >= 0) {
    const char byte = 0;
    [[maybe_unused]] const ssize_t n = ::write(wake_[1], &byte, 1);
  }
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  for (Entry& entry : incoming_) CloseConnection(entry.connection.fd);
  incoming_.clear();
}

void HeadGate::Run() {
  std::vector<pollfd> polled;
  for (;;) {
    std::vector<Entry> arrived;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
      arrived.swap(incoming_);
    }
    Clock::time_point now = Clock::now();
    for (Entry& entry : arrived) {
      // A pipelined request may be whole already.
      if (entry.connection.pending.empty() || Examine(entry, now)) waiting_.push_back(std::move(entry));
    }

    polled.assign(1, pollfd{wake_[0], POLLIN, 0});
    milliseconds wait = kLongestWait;
    for (const Entry& entry : waiting_) {
      polled.push_back(pollfd{entry.connection.fd, POLLIN, 0});
      wait = std::min(wait, std::chrono::duration_cast<milliseconds>(entry.deadline - now) + milliseconds(1));
    }
    ::poll(polled.data(), polled.size(), static_cast<int>(std::max<milliseconds::rep>(wait.count(), 0)));
    if (polled[0].revents != 0) {
      char sink[64];
      [[maybe_unused]] const ssize_t n = ::read(wake_[0], sink, sizeof sink);
    }

    now = Clock::now();
    std::vector<Entry> kept;
    for (std::size_t i = 0; i < waiting_.size(); ++i) {
      Entry& entry = waiting_[i];
      if (polled[i + 1].revents != 0 && !Read(entry, now)) continue;
      if (now >= entry.deadline) {
        if (entry.started && !entry.draining) {
          Reject(entry, 408, "request head not received within " + std::to_string(limits_.head_timeout.count()) + " ms",
                 now);
        } else {
          CloseConnection(entry.connection.fd);  // idle, or drained long enough
          continue;
        }
      }
      kept.push_back(std::move(entry));
    }
    waiting_.swap(kept);
  }
  for (Entry& entry : waiting_) CloseConnection(entry.connection.fd);
  waiting_.clear();
}

bool HeadGate::Read(Entry& entry, Clock::time_point now) {
  char buffer[16 * 1024];
  ssize_t n;
  do {
    n = ::recv(entry.connection.fd, buffer, sizeof buffer, MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
  if (n <= 0) {  // the client closed, or the connection broke
    CloseConnection(entry.connection.fd);
    return false;
  }
  if (entry.draining) return true;
  if (!entry.started) {
    entry.started = true;
    // A kept-alive connection's next request gets the whole head time from its first byte.
    if (entry.connection.served > 0) entry.deadline = now + limits_.head_timeout;
  }
  entry.connection.pending.append(buffer, static_cast<std::size_t>(n));
  return Examine(entry, now);
}

bool HeadGate::Examine(Entry& entry, Clock::time_point now) {
  const HeadVerdict verdict = ExamineHead(entry.connection.pending, limits_);
  switch (verdict.kind) {
    case HeadVerdict::Kind::kIncomplete:
      return true;
    case HeadVerdict::Kind::kComplete:
      if (verdict.zero_length_at != std::string::npos) {
        entry.connection.pending.insert(verdict.zero_length_at, "Content-Length: 0\r\n");
      }
      ready_(std::move(entry.connection));
      return false;
    case HeadVerdict::Kind::kReject:
      Reject(entry, verdict.status, verdict.reason, now);
      return true;
  }
  return true;
}

void HeadGate::Reject(Entry& entry, int status, const std::string& reason, Clock::time_point now) {
  std::fprintf(stderr, "bitsh-serve: answered %d and closed a connection: %s\n", status, reason.c_str());
  const std::string answer = RejectionResponse(status, reason);
  // Best effort and never blocking: the answer is small and the socket's send buffer empty.
  [[maybe_unused]] const ssize_t n =
      ::send(entry.connection.fd, answer.data(), answer.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  ::shutdown(entry.connection.fd, SHUT_WR);
  entry.connection.pending.clear();
  entry.connection.pending.shrink_to_fit();
  entry.draining = true;
  entry.started = true;
  entry.deadline = now + kLinger;
}

}  // namespace bitsh::server
