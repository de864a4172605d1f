// BackendWrapper: a Backend that forwards every call to another one.
//
// Decorators (a recorder, a fault injector, a wrong-state mutant for testing the tests) derive from
// it and override only the calls they change, as leveldb's EnvWrapper does.
#pragma once

#include "backend/backend.h"

namespace bitsh {

class BackendWrapper : public Backend {
 public:
  // REQUIRES: target outlives this wrapper.
  explicit BackendWrapper(Backend& target) : target_(target) {}

  Backend& target() { return target_; }

  Result<JobId> CreateJob(const std::string& display_name, JobType type) override {
    return target_.CreateJob(display_name, type);
  }
  Status GetJob(const JobId& job) override { return target_.GetJob(job); }
  Result<std::vector<JobId>> EnumJobs(EnumScope scope) override { return target_.EnumJobs(scope); }
  Status AddFile(const JobId& job, const std::string& remote_url,
                 const std::string& local_name) override {
    return target_.AddFile(job, remote_url, local_name);
  }
  Result<std::vector<FileStatus>> GetFiles(const JobId& job) override { return target_.GetFiles(job); }
  Status AddFileSet(const JobId& job, const std::vector<FileToAdd>& files) override { return target_.AddFileSet(job, files); }
  Result<std::string> GetTemporaryName(const JobId& job, std::size_t file_index) override {
    return target_.GetTemporaryName(job, file_index);
  }
  Status SetValidationState(const JobId& job, std::size_t file_index, bool valid) override {
    return target_.SetValidationState(job, file_index, valid);
  }
  Result<bool> GetValidationState(const JobId& job, std::size_t file_index) override {
    return target_.GetValidationState(job, file_index);
  }
  Result<bool> IsDownloadedFromPeer(const JobId& job, std::size_t file_index) override {
    return target_.IsDownloadedFromPeer(job, file_index);
  }
  Status AddFileWithRanges(const JobId& job, const std::string& remote_url, const std::string& local_name,
                           const std::vector<FileRange>& ranges) override {
    return target_.AddFileWithRanges(job, remote_url, local_name, ranges);
  }
  Result<std::vector<FileRange>> GetFileRanges(const JobId& job, std::size_t file_index) override {
    return target_.GetFileRanges(job, file_index);
  }
  Status ReplaceRemotePrefix(const JobId& job, const std::string& old_prefix, const std::string& new_prefix) override {
    return target_.ReplaceRemotePrefix(job, old_prefix, new_prefix);
  }
  Status SetRemoteName(const JobId& job, std::size_t file_index, const std::string& remote_name) override {
    return target_.SetRemoteName(job, file_index, remote_name);
  }
  Status SetDisplayName(const JobId& job, const std::string& name) override {
    return target_.SetDisplayName(job, name);
  }
  Result<std::string> GetDisplayName(const JobId& job) override { return target_.GetDisplayName(job); }
  Status SetDescription(const JobId& job, const std::string& description) override {
    return target_.SetDescription(job, description);
  }
  Result<std::string> GetDescription(const JobId& job) override { return target_.GetDescription(job); }
  Status SetPriority(const JobId& job, JobPriority priority) override {
    return target_.SetPriority(job, priority);
  }
  Result<JobPriority> GetPriority(const JobId& job) override { return target_.GetPriority(job); }
  Status SetMinimumRetryDelay(const JobId& job, std::uint32_t seconds) override {
    return target_.SetMinimumRetryDelay(job, seconds);
  }
  Result<std::uint32_t> GetMinimumRetryDelay(const JobId& job) override {
    return target_.GetMinimumRetryDelay(job);
  }
  Status SetNoProgressTimeout(const JobId& job, std::uint32_t seconds) override {
    return target_.SetNoProgressTimeout(job, seconds);
  }
  Result<std::uint32_t> GetNoProgressTimeout(const JobId& job) override {
    return target_.GetNoProgressTimeout(job);
  }
  Result<JobType> GetType(const JobId& job) override { return target_.GetType(job); }
  Result<std::string> GetOwner(const JobId& job) override { return target_.GetOwner(job); }
  Status TakeOwnership(const JobId& job) override { return target_.TakeOwnership(job); }
  Status SetProxySettings(const JobId& job, const ProxySettings& settings) override {
    return target_.SetProxySettings(job, settings);
  }
  Result<ProxySettings> GetProxySettings(const JobId& job) override { return target_.GetProxySettings(job); }
  Status SetCredentials(const JobId& job, const AuthCredentials& credentials) override {
    return target_.SetCredentials(job, credentials);
  }
  Status RemoveCredentials(const JobId& job, AuthTarget target, AuthScheme scheme) override {
    return target_.RemoveCredentials(job, target, scheme);
  }
  Status SetCustomHeaders(const JobId& job, const std::optional<std::string>& headers) override {
    return target_.SetCustomHeaders(job, headers);
  }
  Result<std::optional<std::string>> GetCustomHeaders(const JobId& job) override {
    return target_.GetCustomHeaders(job);
  }
  Status SetSecurityFlags(const JobId& job, std::uint32_t flags) override { return target_.SetSecurityFlags(job, flags); }
  Result<std::uint32_t> GetSecurityFlags(const JobId& job) override { return target_.GetSecurityFlags(job); }
  Status SetNotifyFlags(const JobId& job, std::uint32_t flags) override { return target_.SetNotifyFlags(job, flags); }
  Result<std::uint32_t> GetNotifyFlags(const JobId& job) override { return target_.GetNotifyFlags(job); }
  Status SetJobProperty(const JobId& job, JobPropertyId id, const JobPropertyValue& value) override {
    return target_.SetJobProperty(job, id, value);
  }
  Result<JobPropertyValue> GetJobProperty(const JobId& job, JobPropertyId id) override {
    return target_.GetJobProperty(job, id);
  }
  Status SetMaximumDownloadTime(const JobId& job, std::uint32_t seconds) override {
    return target_.SetMaximumDownloadTime(job, seconds);
  }
  Result<std::uint32_t> GetMaximumDownloadTime(const JobId& job) override { return target_.GetMaximumDownloadTime(job); }
  Status SetNotifyInterface(const JobId& job, std::shared_ptr<JobCallback> callback) override {
    return target_.SetNotifyInterface(job, std::move(callback));
  }
  Result<std::shared_ptr<JobCallback>> GetNotifyInterface(const JobId& job) override {
    return target_.GetNotifyInterface(job);
  }
  Status SetNotifyCmdLine(const JobId& job, const NotifyCommandLine& command_line) override {
    return target_.SetNotifyCmdLine(job, command_line);
  }
  Result<NotifyCommandLine> GetNotifyCmdLine(const JobId& job) override { return target_.GetNotifyCmdLine(job); }
  Status Resume(const JobId& job) override { return target_.Resume(job); }
  Status Suspend(const JobId& job) override { return target_.Suspend(job); }
  Status Cancel(const JobId& job) override { return target_.Cancel(job); }
  Status Complete(const JobId& job) override { return target_.Complete(job); }
  Result<JobState> GetState(const JobId& job) override { return target_.GetState(job); }
  Result<JobProgress> GetProgress(const JobId& job) override { return target_.GetProgress(job); }
  Result<JobTimes> GetTimes(const JobId& job) override { return target_.GetTimes(job); }
  Result<JobError> GetError(const JobId& job) override { return target_.GetError(job); }
  Result<std::uint32_t> GetErrorCount(const JobId& job) override { return target_.GetErrorCount(job); }

 private:
  Backend& target_;
};

}  // namespace bitsh
