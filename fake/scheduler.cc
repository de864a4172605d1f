#include "fake/scheduler.h"

#include <tuple>

namespace bitsh::fake {

void DecideSchedule(const std::vector<SchedulingCandidate>& eligible, SchedulingDecision& decision) {
  decision.start.clear();
  decision.preempt.clear();
  const SchedulingCandidate* best = nullptr;
  for (const SchedulingCandidate& job : eligible) {
    if (job.priority == JobPriority::kForeground) {
      if (!job.running) decision.start.push_back(job.index);
      continue;
    }
    // A running job keeps its place among equals (it yields only at the end of its slice);
    // a higher priority preempts it.
    const auto key = [](const SchedulingCandidate& c) {
      return std::make_tuple(static_cast<int>(c.priority), c.running ? 0 : 1, c.turn);
    };
    if (best == nullptr || key(job) < key(*best)) best = &job;
  }
  for (const SchedulingCandidate& job : eligible) {
    if (job.priority != JobPriority::kForeground && job.running && &job != best) {
      decision.preempt.push_back(job.index);
    }
  }
  if (best != nullptr && !best->running) decision.start.push_back(best->index);
}

}  // namespace bitsh::fake
