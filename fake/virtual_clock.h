// VirtualClock: simulated time for the fake. It moves only when the EventQueue runs an event, so
// fourteen days of ten-minute retries are a loop, not a sleep, and a run is a pure function of its
// inputs: no thread, no wall clock.
#pragma once

#include <cassert>

#include "backend/clock.h"

namespace bitsh::fake {

class VirtualClock final : public Clock {
 public:
  explicit VirtualClock(TimePoint start) : now_(start) {}

  TimePoint Now() const override { return now_; }

  // Moves time forward. REQUIRES: to >= Now(). Only the EventQueue calls this.
  void AdvanceTo(TimePoint to) {
    assert(to >= now_);
    now_ = to;
  }

 private:
  TimePoint now_;
};

// The virtual epoch every simulation starts at unless told otherwise: 2026-01-01T00:00:00Z.
inline TimePoint DefaultVirtualEpoch() {
  return TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 1 / 1).time_since_epoch());
}

}  // namespace bitsh::fake
