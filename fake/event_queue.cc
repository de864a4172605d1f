#include "fake/event_queue.h"

#include <cassert>

namespace bitsh::fake {

std::uint32_t EventQueue::TakeSlot(EventAction action) {
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  slots_[slot].state = SlotState::kLive;
  slots_[slot].action = std::move(action);
  ++pending_;
  return slot;
}

EventQueue::Slot* EventQueue::SlotOf(EventId id) {
  const auto slot = static_cast<std::uint32_t>(id);
  if (slot >= slots_.size() || slots_[slot].generation != id >> 32) return nullptr;  // ran, or never was
  return &slots_[slot];
}

void EventQueue::PushToHeap(const Event& event) {
  heap_.push_back(event);
  SiftUp(heap_.size() - 1, event);
}

void EventQueue::FreeSlot(std::uint32_t slot) {
  slots_[slot].state = SlotState::kFree;
  slots_[slot].action = nullptr;  // what it captured goes now, not when the slot is reused
  if (++slots_[slot].generation == 0) slots_[slot].generation = 1;  // after 4 billion reuses
  free_slots_.push_back(slot);
}

EventId EventQueue::ScheduleAt(TimePoint at, EventAction action) {
  const std::uint32_t slot = TakeSlot(std::move(action));
  const Event event{std::max(at, clock_.Now()), next_seq_++, slot};
  if (event.at == clock_.Now()) {  // due now: after every event queued so far, in (time, sequence) order
    due_.push_back(event);
  } else {
    PushToHeap(event);
  }
  return HandleOf(slot, slots_[slot].generation);
}

EventId EventQueue::ScheduleAt(TimePoint at, std::uint64_t place, EventAction action) {
  assert(place != 0 && place < next_seq_);  // a place TakePlace gave
  const std::uint32_t slot = TakeSlot(std::move(action));
  // Into the heap whatever the time: due_ holds events in the order they were scheduled.
  PushToHeap({std::max(at, clock_.Now()), place, slot});
  return HandleOf(slot, slots_[slot].generation);
}

EventId EventQueue::ScheduleBackgroundAt(TimePoint at, EventAction action) {
  const EventId id = ScheduleAt(at, std::move(action));
  SetBackground(id, true);
  return id;
}

void EventQueue::SetBackground(EventId id, bool background) {
  Slot* entry = SlotOf(id);
  if (entry == nullptr) return;
  if (background && entry->state == SlotState::kLive) {
    entry->state = SlotState::kBackground;
    --pending_;
  } else if (!background && entry->state == SlotState::kBackground) {
    entry->state = SlotState::kLive;
    ++pending_;
  }
}

void EventQueue::Cancel(EventId id) {
  Slot* entry = SlotOf(id);
  if (entry == nullptr || (entry->state != SlotState::kLive && entry->state != SlotState::kBackground)) return;
  if (entry->state == SlotState::kLive) --pending_;
  entry->state = SlotState::kCancelled;
  ++cancelled_;
  // A cancelled event stays in the heap until it reaches the top. Far-future events that keep
  // being cancelled (a download-time limit reset on every Resume, deadlines moved by outages) would
  // pile up over a long run, so once they are half the heap they all go at once: memory stays
  // bounded by the live events.
  if (cancelled_ > 64 && cancelled_ * 2 > stored()) Compact();
}

void EventQueue::Compact() {
  const auto drop_cancelled = [this](const Event& event) {
    if (slots_[event.slot].state != SlotState::kCancelled) return false;
    FreeSlot(event.slot);
    return true;
  };
  due_.erase(due_.begin(), due_.begin() + static_cast<std::ptrdiff_t>(due_head_));
  due_head_ = 0;
  std::erase_if(due_, drop_cancelled);
  std::erase_if(heap_, drop_cancelled);
  cancelled_ = 0;
  // (time, sequence) is a total order, so the rebuilt heap pops in exactly the same order.
  for (std::size_t parent = heap_.size() / kArity + 1; parent-- > 0;) {
    if (parent < heap_.size()) SiftDown(parent, heap_[parent]);
  }
}

void EventQueue::SiftUp(std::size_t hole, Event event) {
  while (hole > 0) {
    const std::size_t parent = (hole - 1) / kArity;
    if (!Earlier(event, heap_[parent])) break;
    heap_[hole] = heap_[parent];
    hole = parent;
  }
  heap_[hole] = event;
}

void EventQueue::SiftDown(std::size_t hole, Event event) {
  const std::size_t size = heap_.size();
  while (true) {
    const std::size_t first = hole * kArity + 1;
    if (first >= size) break;
    const std::size_t end = std::min(first + kArity, size);
    std::size_t earliest = first;
    for (std::size_t child = first + 1; child < end; ++child) {
      if (Earlier(heap_[child], heap_[earliest])) earliest = child;
    }
    if (!Earlier(heap_[earliest], event)) break;
    heap_[hole] = heap_[earliest];
    hole = earliest;
  }
  heap_[hole] = event;
}

void EventQueue::PopTop() {
  const Event last = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) SiftDown(0, last);
}

void EventQueue::DropCancelledHeads() {
  while (!heap_.empty() && slots_[heap_.front().slot].state == SlotState::kCancelled) {
    FreeSlot(heap_.front().slot);
    --cancelled_;
    PopTop();
  }
  while (due_head_ < due_.size() && slots_[due_[due_head_].slot].state == SlotState::kCancelled) {
    FreeSlot(due_[due_head_].slot);
    --cancelled_;
    ++due_head_;
  }
  if (due_head_ == due_.size()) {  // drained: its memory serves the next instant
    due_.clear();
    due_head_ = 0;
  }
}

bool EventQueue::NextIsDue() const {
  if (due_head_ == due_.size()) return false;
  return heap_.empty() || Earlier(due_[due_head_], heap_.front());
}

std::optional<TimePoint> EventQueue::NextEventTime() {
  DropCancelledHeads();
  if (NextIsDue()) return due_[due_head_].at;
  if (heap_.empty()) return std::nullopt;
  return heap_.front().at;
}

bool EventQueue::RunNext() {
  DropCancelledHeads();
  Event event;
  if (NextIsDue()) {
    event = due_[due_head_++];
    // An instant that never ends (an event that schedules another for the same instant, forever:
    // what the run's event limit catches) must not keep every event it ran.
    if (due_head_ >= kDueKeptRun && due_head_ * 2 >= due_.size()) {
      due_.erase(due_.begin(), due_.begin() + static_cast<std::ptrdiff_t>(due_head_));
      due_head_ = 0;
    }
  } else if (!heap_.empty()) {
    event = heap_.front();
    PopTop();
  } else {
    return false;
  }
  // Moved out before running: the action may schedule more events, which may reuse its slot.
  EventAction action = std::move(slots_[event.slot].action);
  if (slots_[event.slot].state == SlotState::kLive) --pending_;
  FreeSlot(event.slot);  // before the action: cancelling its own handle from inside is a no-op
  clock_.AdvanceTo(event.at);
  ++events_run_;
  action();
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
