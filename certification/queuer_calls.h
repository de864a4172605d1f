// QueuerCalls: the Backend the certification kit hands a store's queuer. It forwards every call to
// the fake BITS and remembers which jobs the queuer created and which of them it resumed, so a
// report can say "the store never started this job" instead of blaming BITS or the Player for a
// track that never arrived. (A BackendWrapper decorator, as LevelDB's EnvWrapper serves its
// fault-injecting Env.)
#pragma once

#include <set>
#include <vector>

#include "backend/backend_wrapper.h"

namespace bitsh::certification {

class QueuerCalls final : public BackendWrapper {
 public:
  using BackendWrapper::BackendWrapper;

  Result<JobId> CreateJob(const std::string& display_name, JobType type) override {
    Result<JobId> job = BackendWrapper::CreateJob(display_name, type);
    if (job.ok()) created_.push_back(*job);
    return job;
  }

  Status Resume(const JobId& job) override {
    Status status = BackendWrapper::Resume(job);
    if (status.ok()) resumed_.insert(job);
    return status;
  }

  // The jobs the queuer created, in order.
  const std::vector<JobId>& created() const { return created_; }
  // True when the queuer called Resume on `job` and BITS accepted it.
  bool Resumed(const JobId& job) const { return resumed_.contains(job); }

 private:
  std::vector<JobId> created_;
  std::set<JobId> resumed_;
};

}  // namespace bitsh::certification
