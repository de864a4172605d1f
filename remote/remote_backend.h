// RemoteBackend: the Backend of one user of bitshd, over a RemoteClient's apartment
// (remote_client.h, which makes them: RemoteClient::Connect). Each method is one call of the
// protocol; the answer is the fake's own, HRESULT and message. Callbacks stay in this process:
// SetNotifyInterface registers a number with bitshd, and GetNotifyInterface hands back the
// object registered through this client (nullptr for another process's, as the real backend).
#pragma once

#include <string>

#include "backend/backend.h"
#include "remote/remote_client.h"

namespace bitsh::remote {

class RemoteBackend final : public Backend {
 public:
  RemoteBackend(RemoteClient& client, std::string user) : client_(client), user_(std::move(user)) {}

  Result<JobId> CreateJob(const std::string& display_name, JobType type) override;
  Status GetJob(const JobId& job) override;
  Result<std::vector<JobId>> EnumJobs(EnumScope scope) override;
  Status AddFile(const JobId& job, const std::string& remote_url, const std::string& local_name) override;
  Result<std::vector<FileStatus>> GetFiles(const JobId& job) override;
  Status AddFileSet(const JobId& job, const std::vector<FileToAdd>& files) override;
  Status AddFileWithRanges(const JobId& job, const std::string& remote_url, const std::string& local_name,
                           const std::vector<FileRange>& ranges) override;
  Result<std::vector<FileRange>> GetFileRanges(const JobId& job, std::size_t file_index) override;
  Status ReplaceRemotePrefix(const JobId& job, const std::string& old_prefix, const std::string& new_prefix) override;
  Status SetRemoteName(const JobId& job, std::size_t file_index, const std::string& remote_name) override;
  Result<std::string> GetTemporaryName(const JobId& job, std::size_t file_index) override;
  Status SetValidationState(const JobId& job, std::size_t file_index, bool valid) override;
  Result<bool> GetValidationState(const JobId& job, std::size_t file_index) override;
  Result<bool> IsDownloadedFromPeer(const JobId& job, std::size_t file_index) override;
  Status SetDisplayName(const JobId& job, const std::string& name) override;
  Result<std::string> GetDisplayName(const JobId& job) override;
  Status SetDescription(const JobId& job, const std::string& description) override;
  Result<std::string> GetDescription(const JobId& job) override;
  Status SetPriority(const JobId& job, JobPriority priority) override;
  Result<JobPriority> GetPriority(const JobId& job) override;
  Status SetMinimumRetryDelay(const JobId& job, std::uint32_t seconds) override;
  Result<std::uint32_t> GetMinimumRetryDelay(const JobId& job) override;
  Status SetNoProgressTimeout(const JobId& job, std::uint32_t seconds) override;
  Result<std::uint32_t> GetNoProgressTimeout(const JobId& job) override;
  Status SetMaximumDownloadTime(const JobId& job, std::uint32_t seconds) override;
  Result<std::uint32_t> GetMaximumDownloadTime(const JobId& job) override;
  Result<JobType> GetType(const JobId& job) override;
  Result<std::string> GetOwner(const JobId& job) override;
  Status TakeOwnership(const JobId& job) override;
  Status SetProxySettings(const JobId& job, const ProxySettings& settings) override;
  Result<ProxySettings> GetProxySettings(const JobId& job) override;
  Status SetCredentials(const JobId& job, const AuthCredentials& credentials) override;
  Status RemoveCredentials(const JobId& job, AuthTarget target, AuthScheme scheme) override;
  Status SetCustomHeaders(const JobId& job, const std::optional<std::string>& headers) override;
  Result<std::optional<std::string>> GetCustomHeaders(const JobId& job) override;
  Status SetSecurityFlags(const JobId& job, std::uint32_t flags) override;
  Result<std::uint32_t> GetSecurityFlags(const JobId& job) override;
  Status SetJobProperty(const JobId& job, JobPropertyId id, const JobPropertyValue& value) override;
  Result<JobPropertyValue> GetJobProperty(const JobId& job, JobPropertyId id) override;
  Status SetNotifyFlags(const JobId& job, std::uint32_t flags) override;
  Result<std::uint32_t> GetNotifyFlags(const JobId& job) override;
  Status SetNotifyInterface(const JobId& job, std::shared_ptr<JobCallback> callback) override;
  Result<std::shared_ptr<JobCallback>> GetNotifyInterface(const JobId& job) override;
  Status SetNotifyCmdLine(const JobId& job, const NotifyCommandLine& command_line) override;
  Result<NotifyCommandLine> GetNotifyCmdLine(const JobId& job) override;
  Status Resume(const JobId& job) override;
  Status Suspend(const JobId& job) override;
  Status Cancel(const JobId& job) override;
  Status Complete(const JobId& job) override;
  Result<JobState> GetState(const JobId& job) override;
  Result<JobProgress> GetProgress(const JobId& job) override;
  Result<JobTimes> GetTimes(const JobId& job) override;
  Result<JobError> GetError(const JobId& job) override;
  Result<std::uint32_t> GetErrorCount(const JobId& job) override;

 private:
  Json Call(std::string_view method, Json args) { return client_.Call(user_, method, std::move(args)); }

  RemoteClient& client_;
  std::string user_;
};

}  // namespace bitsh::remote
