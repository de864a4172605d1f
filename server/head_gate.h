// HeadGate: holds connections while their next request head arrives, on one thread, so that idle
// and slow clients occupy no worker (issue 21: 8 connections sending a header line every 3 s used
// to hold every httplib worker, and a normal client timed out).
//
// One poll() loop reads what each connection sends, without blocking, until its head is complete
// (ExamineHead), then hands the connection, with the bytes read, to `ready` (a worker pool). Each
// waiting connection has a deadline: HttpLimits::head_timeout from accept, or from a kept-alive
// connection's first byte of its next request (HttpLimits::keep_alive_idle until then). A head that
// misses its deadline is answered 408 and closed; one over a limit gets ExamineHead's status. A
// rejected connection is half-closed and drained for a moment before it is closed, so the client
// reads the answer instead of a reset caused by the bytes it was still sending.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/http_limits.h"

namespace bitsh::server {

// A connection between requests: its socket, bytes already read, and requests served so far.
struct WaitingConnection {
  int fd = -1;
  std::string pending;
  int served = 0;
};

class HeadGate {
 public:
  using Clock = std::chrono::steady_clock;
  using Ready = std::function<void(WaitingConnection)>;

  HeadGate(HttpLimits limits, Ready ready);
  ~HeadGate();
  HeadGate(const HeadGate&) = delete;
  HeadGate& operator=(const HeadGate&) = delete;

  // Starts the poll thread.
  void Start();
  // A newly accepted connection: its head must arrive within head_timeout. Called on the accept
  // thread; never blocks on the client.
  void Admit(int fd);
  // A kept-alive connection whose response is written, back from a worker; it may idle for
  // keep_alive_idle. After Stop, the connection is closed instead.
  void Park(WaitingConnection connection);
  // Closes every waiting connection and joins the thread. Idempotent.
  void Stop();

 private:
  struct Entry {
    WaitingConnection connection;
    Clock::time_point deadline;
    bool started = false;   // a byte of the next request has arrived
    bool draining = false;  // answered and half-closed: discard input until EOF or the deadline
  };

  void Enqueue(Entry entry);
  void Run();
  // Reads what `entry` has sent and acts on it; false when the entry leaves the gate.
  bool Read(Entry& entry, Clock::time_point now);
  // Applies ExamineHead; false when the entry leaves the gate (handed on or rejected).
  bool Examine(Entry& entry, Clock::time_point now);
  void Reject(Entry& entry, int status, const std::string& reason, Clock::time_point now);

  const HttpLimits limits_;
  const Ready ready_;
  int wake_[2] = {-1, -1};  // a pipe: writing a byte ends the poll() so new entries are seen
  std::thread thread_;

  std::mutex mutex_;  // guards the two below
  std::vector<Entry> incoming_;
  bool stopping_ = false;

  std::vector<Entry> waiting_;  // the poll thread's own
};

// Shuts down both directions and closes `fd`.
void CloseConnection(int fd);

}  // namespace bitsh::server
