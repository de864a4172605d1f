// RecordingCallback: a JobCallback for tests that writes down every call, answers as told, and can
// act on the news the way a store's code does (complete the job when it is transferred).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "backend/job_callback.h"

namespace bitsh::testing {

class RecordingCallback : public JobCallback {
 public:
  // One call: "JobTransferred", "JobError", "JobModification" or "FileTransferred".
  struct Call {
    std::string method;
    JobId job;
    bitsh::JobError error;   // JobError's
    FileStatus file;  // FileTransferred's
  };

  // The next `times` calls of `method` answer `code` (a failure) instead of S_OK.
  void FailNext(const std::string& method, int times, HResult code = hr::kFail) { failures_[method] = {times, code}; }
  // Runs after JobTransferred is written down and before it answers (e.g. the store's Complete).
  std::function<void(const JobId&)> on_transferred;
  std::function<void(const JobId&, const bitsh::JobError&)> on_error;

  const std::vector<Call>& calls() const { return calls_; }
  // The methods called, in order, without JobModification (whose count BITS does not promise).
  std::vector<std::string> Methods() const {
    std::vector<std::string> methods;
    for (const Call& call : calls_) {
      if (call.method != "JobModification") methods.push_back(call.method);
    }
    return methods;
  }
  int Count(const std::string& method) const {
    int count = 0;
    for (const Call& call : calls_) count += call.method == method ? 1 : 0;
    return count;
  }

  Status JobTransferred(const JobId& job) override {
    calls_.push_back({"JobTransferred", job, {}, {}});
    if (on_transferred) on_transferred(job);
    return Answer("JobTransferred");
  }
  Status JobError(const JobId& job, const bitsh::JobError& error) override {
    calls_.push_back({"JobError", job, error, {}});
    if (on_error) on_error(job, error);
    return Answer("JobError");
  }
  Status JobModification(const JobId& job) override {
    calls_.push_back({"JobModification", job, {}, {}});
    return Answer("JobModification");
  }
  Status FileTransferred(const JobId& job, const FileStatus& file) override {
    calls_.push_back({"FileTransferred", job, {}, file});
    return Answer("FileTransferred");
  }

 private:
  struct Failure {
    int times = 0;
    HResult code = hr::kFail;
  };
  Status Answer(const std::string& method) {
    auto found = failures_.find(method);
    if (found == failures_.end() || found->second.times <= 0) return Status::Ok();
    --found->second.times;
    return Status(found->second.code, "RecordingCallback told to fail " + method);
  }

  std::vector<Call> calls_;
  std::map<std::string, Failure> failures_;
};

}  // namespace bitsh::testing
