// FakeBitsService::DispatchScratch: the lists Dispatch works with, kept between its runs so that
// a dispatch after every change allocates nothing once they have grown. Internal: the service's
// header only names it.
#pragma once

#include <vector>

#include "fake/fake_job.h"
#include "fake/fake_service.h"
#include "fake/scheduler.h"

namespace bitsh::fake {

struct FakeBitsService::DispatchScratch {
  std::vector<FakeJob*> eligible;               // the jobs the decision is about, by index
  std::vector<SchedulingCandidate> candidates;  // what DecideSchedule sees of each
  std::vector<FakeJob*> held;                   // queued, but a hold applies (HoldOf)
  SchedulingDecision decision;                  // DecideSchedule's answer
};

}  // namespace bitsh::fake
