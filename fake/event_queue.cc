#include "fake/event_queue.h"

namespace bitsh::fake {

EventId EventQueue::ScheduleAt(TimePoint at, std::function<void()> action) {
  const EventId id = next_seq_++;
  heap_.push_back(Event{std::max(at, clock_.Now()), id, std::move(action)});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
  live_.insert(id);
  return id;
}

EventId EventQueue::ScheduleBackgroundAt(TimePoint at, std::function<void()> action) {
  const EventId id = ScheduleAt(at, std::move(action));
  background_.insert(id);
  return id;
}

void EventQueue::Cancel(EventId id) {
  if (live_.erase(id) == 0) return;  // an event that already ran is not in live_
  background_.erase(id);
  cancelled_.insert(id);
  // A cancelled event stays in the heap until it reaches the top. Far-future events that keep
  // being cancelled (a deadline reset on every retry) would pile up over a long run, so once they
  // are half the heap they all go at once: memory stays bounded by the live events.
  if (cancelled_.size() > 64 && cancelled_.size() * 2 > heap_.size()) Compact();
}

void EventQueue::Compact() {
  std::erase_if(heap_, [this](const Event& event) { return cancelled_.contains(event.seq); });
  cancelled_.clear();
  // (time, sequence) is a total order, so the rebuilt heap pops in exactly the same order.
  std::make_heap(heap_.begin(), heap_.end(), Later{});
}

void EventQueue::DropCancelledHead() {
  while (!heap_.empty()) {
    auto found = cancelled_.find(heap_.front().seq);
    if (found == cancelled_.end()) return;
    cancelled_.erase(found);
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    heap_.pop_back();
  }
}

std::optional<TimePoint> EventQueue::NextEventTime() {
  DropCancelledHead();
  if (heap_.empty()) return std::nullopt;
  return heap_.front().at;
}

bool EventQueue::RunNext() {
  DropCancelledHead();
  if (heap_.empty()) return false;
  // Moved out before running: the action may schedule more events.
  std::pop_heap(heap_.begin(), heap_.end(), Later{});
  Event event = std::move(heap_.back());
  heap_.pop_back();
  live_.erase(event.seq);
  background_.erase(event.seq);
  clock_.AdvanceTo(event.at);
  ++events_run_;
  event.action();
  return true;
}

void EventQueue::RunUntil(TimePoint until) {
  while (true) {
    std::optional<TimePoint> next = NextEventTime();
    if (!next || *next > until) break;
    RunNext();
  }
  if (until > clock_.Now()) clock_.AdvanceTo(until);
}

}  // namespace bitsh::fake
