#include "serving/exchange.h"

#include <algorithm>
#include <utility>

namespace bitsh::serving {
namespace {

constexpr HResult kServerUnavailable = 0x800706BA;  // RPC_S_SERVER_UNAVAILABLE (winerror.h)
constexpr HResult kRpcTimeout = 0x8001011F;         // RPC_E_TIMEOUT

remote::Json Failed(const std::string& why) { return remote::StatusToJson(Status(hr::kFail, why)); }

}  // namespace

std::uint64_t Exchange::OpenApartment(bool windows_paths) {
  std::lock_guard lock(mutex_);
  const std::uint64_t number = next_number_++;
  apartments_[number].windows_paths = windows_paths;
  return number;
}

bool Exchange::UsesWindowsPaths(std::uint64_t apartment) {
  std::lock_guard lock(mutex_);
  const auto found = apartments_.find(apartment);
  return found != apartments_.end() && found->second.windows_paths;
}

void Exchange::CloseApartment(std::uint64_t apartment) {
  std::lock_guard lock(mutex_);
  apartments_.erase(apartment);
  changed_.notify_all();
}

bool Exchange::IsOpen(std::uint64_t apartment) {
  std::lock_guard lock(mutex_);
  return apartments_.contains(apartment);
}

std::uint64_t Exchange::Submit(std::uint64_t apartment, Task task, bool exclusive) {
  std::lock_guard lock(mutex_);
  const std::uint64_t call = next_number_++;
  calls_.push_back(QueuedCall{apartment, call, std::move(task), exclusive});
  changed_.notify_all();
  return call;
}

remote::Json Exchange::Await(std::uint64_t apartment, std::uint64_t call) {
  std::unique_lock lock(mutex_);
  for (;;) {
    const auto found = apartments_.find(apartment);
    if (found == apartments_.end()) return {{"result", Failed("apartment " + std::to_string(apartment) + " is closed")}};
    Apartment& waiting = found->second;
    if (const auto result = waiting.results.find(call); result != waiting.results.end()) {
      remote::Json answer = {{"result", std::move(result->second)}};
      waiting.results.erase(result);
      return answer;
    }
    if (!waiting.queued.empty()) {
      remote::Json answer = {{"notification", std::move(waiting.queued.front())}, {"call", call}};
      waiting.queued.pop_front();
      return answer;
    }
    if (shut_down_) return {{"result", Failed("bitshd is stopping")}};
    changed_.wait(lock);
  }
}

remote::Json Exchange::AwaitNotification(std::uint64_t apartment, std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    const auto found = apartments_.find(apartment);
    if (found == apartments_.end()) return {{"result", Failed("apartment " + std::to_string(apartment) + " is closed")}};
    if (!found->second.queued.empty()) {
      remote::Json answer = {{"notification", std::move(found->second.queued.front())}, {"call", 0}};
      found->second.queued.pop_front();
      return answer;
    }
    if (shut_down_ || stopping_) return {{"result", Failed("bitshd is stopping")}};
    if (std::chrono::steady_clock::now() >= deadline) {
      return {{"result", remote::StatusToJson(Status::Ok())}};
    }
    changed_.wait_until(lock, deadline);
  }
}

bool Exchange::Reply(std::uint64_t apartment, std::uint64_t notification, Status answer) {
  std::lock_guard lock(mutex_);
  const auto found = apartments_.find(apartment);
  if (found == apartments_.end() || !found->second.awaited.contains(notification)) return false;
  found->second.replies.insert_or_assign(notification, std::move(answer));
  changed_.notify_all();
  return true;
}

bool Exchange::RunNext(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, wait, [&] { return !calls_.empty() || shut_down_ || stopping_; });
  if (calls_.empty() || shut_down_ || stopping_) return false;
  RunQueuedCall(lock, calls_.begin());
  return true;
}

void Exchange::RunQueuedCall(std::unique_lock<std::mutex>& lock, std::deque<QueuedCall>::iterator which) {
  QueuedCall next = std::move(*which);
  calls_.erase(which);
  lock.unlock();
  remote::Json result = next.task();
  lock.lock();
  if (const auto found = apartments_.find(next.apartment); found != apartments_.end()) {
    found->second.results.emplace(next.call, std::move(result));
  }
  changed_.notify_all();
}

Status Exchange::Notify(std::uint64_t apartment, remote::Json notification, RealTime deadline) {
  const std::string client = "the client of apartment " + std::to_string(apartment);
  std::unique_lock lock(mutex_);
  if (!apartments_.contains(apartment) || shut_down_ || stopping_) {
    return Status(kServerUnavailable, client + " is gone");
  }
  const std::uint64_t number = next_number_++;
  notification["id"] = number;
  apartments_[apartment].queued.push_back(std::move(notification));
  apartments_[apartment].awaited.insert(number);
  changed_.notify_all();
  for (;;) {
    const auto found = apartments_.find(apartment);
    std::optional<Status> answer;
    if (found == apartments_.end() || shut_down_ || stopping_) {
      answer = Status(kServerUnavailable, found == apartments_.end() ? client + " went away" : "bitshd is stopping");
    } else if (const auto reply = found->second.replies.find(number); reply != found->second.replies.end()) {
      answer = std::move(reply->second);
      found->second.replies.erase(reply);
    } else if (std::chrono::steady_clock::now() >= deadline) {
      answer = Status(kRpcTimeout, client + " did not answer in time");
    }
    if (answer) {
      if (found != apartments_.end()) {
        // Not handed out yet: withdrawn, so that a later request does not run a stale callback;
        // a late reply finds nothing awaiting it (Reply: false).
        found->second.awaited.erase(number);
        std::erase_if(found->second.queued, [&](const remote::Json& queued) { return queued.at("id") == number; });
      }
      return *answer;
    }
    // Runs calls meanwhile (the client's callback may make some; other clients' calls that need
    // the machine to themselves wait); a reply wakes the wait.
    // The notified client's own exclusive calls made since the notification went out (its
    // callback's) run, to be refused; one it queued before is another clock call's turn to wait.
    // Calls and notifications are numbered from one sequence, so "since" is "numbered after".
    const auto runnable = std::find_if(calls_.begin(), calls_.end(), [&](const QueuedCall& call) {
      return !call.exclusive || (call.apartment == apartment && call.call > number);
    });
    if (runnable != calls_.end()) {
      RunQueuedCall(lock, runnable);
    } else {
      changed_.wait_until(lock, deadline);
    }
  }
}

void Exchange::BeginStop() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  changed_.notify_all();
}

void Exchange::Shutdown() {
  std::lock_guard lock(mutex_);
  shut_down_ = true;
  calls_.clear();
  changed_.notify_all();
}

}  // namespace bitsh::serving
