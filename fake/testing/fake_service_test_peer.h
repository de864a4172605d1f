// FakeBitsServiceTestPeer: reaches the engine the way no client can, to make it misbehave on
// purpose (the engine's own refusal of a state change outside its table, and what callers then
// see). Tests only; not installed.
#pragma once

#include "fake/fake_job.h"
#include "fake/fake_service.h"
#include "fake/job_state_machine.h"
#include "fake/job_table.h"

namespace bitsh::fake {

class FakeBitsServiceTestPeer {
 public:
  static JobState StateOf(FakeBitsService& service, const JobId& id) { return service.JobAt(id).state; }
  static void SetState(FakeBitsService& service, const JobId& id, TransitionCause cause) {
    service.SetState(service.JobAt(id), cause, "test");
  }
  // The job vanishes from the queue with no state change and no log line: a job lost by a bug.
  static void Lose(FakeBitsService& service, const JobId& id) {
    const std::string owner = service.JobAt(id).owner;
    service.jobs_->Remove(id);
    --service.live_jobs_;
    --service.live_jobs_per_user_[owner];
  }
};

}  // namespace bitsh::fake
