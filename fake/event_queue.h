// EventQueue: the fake's scheduler of simulated events, ordered by (time, sequence number).
//
// Events at the same virtual time run in the order they were scheduled (FIFO tie-break, as
// FoundationDB's simulator does), which makes every run reproducible. Running an event moves the
// VirtualClock to the event's time first. Single-threaded; never blocks.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fake/event_action.h"
#include "fake/virtual_clock.h"

namespace bitsh::fake {

// An event's handle, for Cancel: never 0 (0 means "no event"), and not the handle of a later event
// (until one slot has been reused 2^32 times), so a handle kept after its event ran or was
// cancelled cancels nothing.
using EventId = std::uint64_t;

class EventQueue {
 public:
  explicit EventQueue(VirtualClock& clock) : clock_(clock) {}

  // Runs `action` at virtual time `at` (clamped to now if in the past). Returns an id for Cancel.
  EventId ScheduleAt(TimePoint at, EventAction action);
  // A place in the order of events that fall on the same instant, taken now for an event to be
  // scheduled later with ScheduleAt(at, place, ...): it then runs among the events at its time as
  // if it had been scheduled now. (The lazy download-time timer keeps the order an event scheduled
  // at the start of each run had.)
  // REQUIRES: each place is for one event; `at` is later than now, or the place was taken during
  // the current instant (no event after it in the order has run).
  std::uint64_t TakePlace() { return next_seq_++; }
  EventId ScheduleAt(TimePoint at, std::uint64_t place, EventAction action);
  EventId ScheduleAfter(Duration delay, EventAction action) {
    return ScheduleAt(clock_.Now() + delay, std::move(action));
  }
  // A background event: a timer that runs when the simulation gets that far (RunNext, RunUntil),
  // but that does not by itself keep it going - pending() leaves it out, so a run that waits for
  // "nothing left to do" ends before it (the 90-day JobInactivityTimeout is one).
  EventId ScheduleBackgroundAt(TimePoint at, EventAction action);

  // Makes a pending event a background one, or a live one again; no effect when it already ran
  // or was cancelled. A timer that matters only while something runs stays in the queue as a
  // background event in between, instead of being cancelled and scheduled again each time.
  void SetBackground(EventId id, bool background);
  // Drops a pending event; no effect when it already ran or was cancelled.
  void Cancel(EventId id);

  // Runs the earliest pending event. Returns false when there is none.
  bool RunNext();

  // Runs every event due at or before `until`, then sets the clock to `until`.
  void RunUntil(TimePoint until);

  // Time of the earliest pending event, if any.
  std::optional<TimePoint> NextEventTime();

  // Events scheduled and neither run nor cancelled, background events left out.
  std::size_t pending() const { return pending_; }
  // Events held in memory, background ones and cancelled ones not yet dropped included: never
  // more than about twice the live and background events, however many events a long run cancels.
  std::size_t stored() const { return heap_.size() + (due_.size() - due_head_); }
  std::uint64_t events_run() const { return events_run_; }
  VirtualClock& clock() { return clock_; }

 private:
  // What the heap orders: the time, order and slot of an event, 24 bytes moved by each heap
  // step. The action waits in its slot, so it is moved twice (in, out), whatever the depth of
  // the heap.
  struct Event {
    TimePoint at;
    std::uint64_t seq;    // schedule order: the tie-break between events at the same time
    std::uint32_t slot;   // its entry in slots_
  };
  // What the queue knows of a scheduled event, in a slot its handle names. A slot is reused once
  // its event ran or was dropped, under a new generation, so the state of every event costs a few
  // bytes of a vector as long as the event lives, and nothing after (no set of every id ever made).
  enum class SlotState : std::uint8_t { kFree, kLive, kBackground, kCancelled };
  struct Slot {
    std::uint32_t generation = 1;  // 0 never appears in a handle: EventId 0 stays "no event"
    SlotState state = SlotState::kFree;
    EventAction action;  // the event's, while it is live, background or cancelled (event_action.h)
  };
  static EventId HandleOf(std::uint32_t slot, std::uint32_t generation) {
    return (static_cast<EventId>(generation) << 32) | slot;
  }
  // A slot for a new live event with `action` (counted as pending).
  std::uint32_t TakeSlot(EventAction action);
  void FreeSlot(std::uint32_t slot);
  // The slot `id` names, or nullptr when its event ran or never was.
  Slot* SlotOf(EventId id);
  void PushToHeap(const Event& event);
  static bool Earlier(const Event& a, const Event& b) { return a.at != b.at ? a.at < b.at : a.seq < b.seq; }
  // The heap is 4-ary: half the levels of a binary heap, so a pop makes half the unpredictable
  // comparisons a binary one made (std::pop_heap was a tenth of a weeks-long run). (time, sequence)
  // is a total order, so events come out in the same order whatever the heap's shape.
  static constexpr std::size_t kArity = 4;
  void SiftUp(std::size_t hole, Event event);
  void SiftDown(std::size_t hole, Event event);
  void PopTop();
  // Frees the cancelled events at the front of the heap and of due_.
  void DropCancelledHeads();
  // Whether the next event is due_'s first rather than the heap's top.
  bool NextIsDue() const;
  // Removes every cancelled event from the heap at once (see Cancel).
  void Compact();

  VirtualClock& clock_;
  std::vector<Event> heap_;  // a 4-ary min-heap by Earlier: heap_[0] is the next event
  // Events scheduled for the current instant (a dispatch, a step without latency: most events),
  // from due_[due_head_] on. In the heap each would enter at the bottom, climb to the top and be
  // popped at once. Appended in (time, sequence) order, so running the earlier of this queue's
  // first and the heap's top runs every event in the same order as one heap would.
  std::vector<Event> due_;
  std::size_t due_head_ = 0;
  static constexpr std::size_t kDueKeptRun = 1024;  // run events due_ may keep before it drops them
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::size_t pending_ = 0;    // live events that are not background ones
  std::size_t cancelled_ = 0;  // cancelled events still in the heap
  std::uint64_t next_seq_ = 1;
  std::uint64_t events_run_ = 0;
};

}  // namespace bitsh::fake
