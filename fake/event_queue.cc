#include "fake/event_queue.h"

namespace bitsh::fake {

EventId EventQueue::ScheduleAt(TimePoint at, std::function<void()> action) {
  const EventId id = next_seq_++;
  heap_.push(Event{std::max(at, clock_.Now()), id, std::move(action)});
  live_.insert(id);
  return id;
}

void EventQueue::Cancel(EventId id) {
  if (live_.erase(id) > 0) cancelled_.insert(id);  // an event that already ran is not in live_
}

void EventQueue::DropCancelledHead() {
  while (!heap_.empty()) {
    auto found = cancelled_.find(heap_.top().seq);
    if (found == cancelled_.end()) return;
    cancelled_.erase(found);
    heap_.pop();
  }
}

std::optional<TimePoint> EventQueue::NextEventTime() {
  DropCancelledHead();
  if (heap_.empty()) return std::nullopt;
  return heap_.top().at;
}

bool EventQueue::RunNext() {
  DropCancelledHead();
  if (heap_.empty()) return false;
  // Copy out before popping: the action may schedule more events.
  Event event = heap_.top();
  heap_.pop();
  live_.erase(event.seq);
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
