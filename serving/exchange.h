// Exchange: what passes between a CallServer's HTTP threads (call_server.h) and its machine thread
// (bitshd's, or the thread that runs a program under a scenario or a certification).
//
// The fake is single-threaded (fake_service.h), so every call runs on one thread, the machine
// thread; the HTTP threads only queue calls and wait for answers. An apartment (protocol.h) has at
// most one request in flight. While an event of the fake calls a client's callback
// (remote_callback.h), the machine thread queues a notification for the callback's apartment and
// keeps running queued calls until the client replies - the client's callback may call the
// service, as a COM callback may - which is how a single-threaded apartment works in COM too.
//
// One mutex and one condition variable guard everything here: a handful of threads at most wait
// on it, and one lock keeps the hand-offs easy to check.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "backend/status.h"
#include "remote/protocol.h"

namespace bitsh::serving {

class Exchange {
 public:
  using Task = std::function<remote::Json()>;  // runs on the machine thread; returns the "result"
  using RealTime = std::chrono::steady_clock::time_point;

  // --- HTTP threads ------------------------------------------------------------------------

  // A new apartment's number (never 0). `windows_paths`: its client names local files the Windows
  // way (windows_paths.h).
  std::uint64_t OpenApartment(bool windows_paths = false);
  // Ends an apartment: its queued notifications fail (the client is gone) and a request of it
  // that still waits gets E_FAIL.
  void CloseApartment(std::uint64_t apartment);
  bool IsOpen(std::uint64_t apartment);
  bool UsesWindowsPaths(std::uint64_t apartment);

  // Queues `task` as a call of `apartment`; returns the call's number, for Await. An `exclusive`
  // call needs the machine to itself (it moves the clock, restarts or replaces the service): it
  // does not run while a notification waits, except for the notified apartment's own (which its
  // task then refuses: a callback cannot move the clock that is running it).
  std::uint64_t Submit(std::uint64_t apartment, Task task, bool exclusive = false);
  // Waits until the call's result is there or a notification for the apartment is queued, and
  // returns the Answer (protocol.h): {"result": ...} or {"notification": ..., "call": call}.
  // E_FAIL as the result when the apartment closes or the service stops meanwhile.
  remote::Json Await(std::uint64_t apartment, std::uint64_t call);
  // A pump (methods::kPump): waits up to `wait` for a notification for the apartment, and returns
  // it as an Answer of call 0, or {"result": S_OK} when none came (E_FAIL once bitshd stops).
  remote::Json AwaitNotification(std::uint64_t apartment, std::chrono::milliseconds wait);
  // The client's answer to notification `notification`; false when no notification of that number
  // waits for an answer from that apartment (it timed out, or never was): a late answer is dropped.
  bool Reply(std::uint64_t apartment, std::uint64_t notification, Status answer);

  // --- The machine thread ------------------------------------------------------------------

  // Runs the next queued call, waiting up to `wait` for one; false when none came.
  bool RunNext(std::chrono::milliseconds wait);
  // Queues `notification` for `apartment` and runs queued calls (not other apartments' exclusive
  // ones) until the client answers it or `deadline` passes. The answer; RPC_S_SERVER_UNAVAILABLE
  // when the apartment is closed or closes, or the service is stopping, and RPC_E_TIMEOUT when the
  // deadline passes first (what COM returns to BITS for a client that is gone or does not answer).
  Status Notify(std::uint64_t apartment, remote::Json notification, RealTime deadline);

  // The daemon is stopping: RunNext returns false from now on, a waiting Notify fails at once.
  // Callable from any thread; requests still get their answers until Shutdown.
  void BeginStop();
  // Wakes every waiter with E_FAIL; queued calls are dropped. Called once, at shutdown.
  void Shutdown();

 private:
  struct Apartment {
    bool windows_paths = false;
    std::map<std::uint64_t, remote::Json> results;       // by call, until Await takes them
    std::deque<remote::Json> queued;                      // notifications not yet handed out
    std::set<std::uint64_t> awaited;                      // notifications a Notify waits on
    std::map<std::uint64_t, Status> replies;              // by notification, until Notify takes them
  };
  struct QueuedCall {
    std::uint64_t apartment;
    std::uint64_t call;
    Task task;
    bool exclusive = false;
  };

  // Runs queued call `which` with the lock released, and files its result. REQUIRES: `lock` holds
  // mutex_.
  void RunQueuedCall(std::unique_lock<std::mutex>& lock, std::deque<QueuedCall>::iterator which);

  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::uint64_t, Apartment> apartments_;  // the open ones
  std::deque<QueuedCall> calls_;
  std::uint64_t next_number_ = 1;  // apartments, calls and notifications share one sequence
  bool stopping_ = false;
  bool shut_down_ = false;
};

}  // namespace bitsh::serving
