// The scheduling rule of BITS (spec §2.7) as a pure choice, so it can be tested on its own:
// foreground jobs all run; of the background jobs, one runs at a time, the highest priority first
// and, within a priority, in round-robin order (lowest turn first).
#pragma once

#include <optional>
#include <vector>

#include "backend/job_types.h"

namespace bitsh::fake {

struct SchedulingCandidate {
  std::size_t index = 0;  // caller's handle for the job
  JobPriority priority = JobPriority::kNormal;
  std::uint64_t turn = 0;
  bool running = false;   // already CONNECTING or TRANSFERRING
};

struct SchedulingDecision {
  std::vector<std::size_t> start;    // jobs to start now
  std::vector<std::size_t> preempt;  // running background jobs to send back to QUEUED
};

// Decides from the jobs that may transfer now (owner logged on, network up, state active), into
// `decision`, which is cleared first: the engine decides after every change and keeps one decision
// for its memory, so that deciding allocates nothing once the lists have grown.
void DecideSchedule(const std::vector<SchedulingCandidate>& eligible, SchedulingDecision& decision);

}  // namespace bitsh::fake
