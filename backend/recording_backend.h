// RecordingBackend: a Backend that forwards every call and remembers which jobs its caller created
// (with the names it gave them) and which of them it resumed. The certification kit hands one to a
// store's queuer, so a report can say "the store never started this job" instead of blaming BITS
// or the Player for a track that never arrived; the scenario runner serves one to a scenario's
// client, to name its jobs even once they have left the queue. (A BackendWrapper decorator, as
// LevelDB's EnvWrapper serves its fault-injecting Env.)
#pragma once

#include <set>
#include <string>
#include <vector>

#include "backend/backend_wrapper.h"

namespace bitsh {

class RecordingBackend final : public BackendWrapper {
 public:
  using BackendWrapper::BackendWrapper;

  Result<JobId> CreateJob(const std::string& display_name, JobType type) override {
    Result<JobId> job = BackendWrapper::CreateJob(display_name, type);
    if (job.ok()) created_.push_back({*job, display_name});
    return job;
  }

  Status Resume(const JobId& job) override {
    Status status = BackendWrapper::Resume(job);
    if (status.ok()) resumed_.insert(job);
    return status;
  }

  struct Created {
    JobId job;
    std::string display_name;  // as given to CreateJob
  };
  // The jobs the caller created, in order.
  const std::vector<Created>& created() const { return created_; }
  // True when the caller called Resume on `job` and BITS accepted it.
  bool Resumed(const JobId& job) const { return resumed_.contains(job); }

 private:
  std::vector<Created> created_;
  std::set<JobId> resumed_;
};

}  // namespace bitsh
