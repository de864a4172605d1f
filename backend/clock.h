// Clock: the only way bits-harness code reads the time.
//
// The fake runs on a VirtualClock (fake/virtual_clock.h) that moves only when its event queue does,
// so 14 days of retries take milliseconds; a real backend uses SystemClock. Nothing else may call
// std::chrono::system_clock::now().
#pragma once

#include <chrono>

namespace bitsh {

using TimePoint = std::chrono::system_clock::time_point;
using Duration = std::chrono::nanoseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  // The current time. Never goes backwards.
  virtual TimePoint Now() const = 0;
};

// Wall-clock time, for backends over a real BITS service.
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace bitsh
