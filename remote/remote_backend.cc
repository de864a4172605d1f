#include "remote/remote_backend.h"

#include <exception>

namespace bitsh::remote {
namespace {

Status Done(const Json& result) { return StatusFromJson(result); }

// The result's value as a T, or its failure; a value that is not a T is E_FAIL naming the method.
template <typename T>
Result<T> Value(const Json& result, std::string_view method) {
  Status status = StatusFromJson(result);
  if (!status.ok()) return status;
  try {
    return result.at("value").get<T>();
  } catch (const std::exception& error) {
    return Status(hr::kFail, std::string(method) + ": bitshd's answer " + result.dump() + " is not the value expected: " +
                                 error.what());
  }
}

Json OnJob(const JobId& job) { return Json{{"job", job}}; }
Json OnFile(const JobId& job, std::size_t file_index) { return Json{{"job", job}, {"file_index", file_index}}; }

}  // namespace

Result<JobId> RemoteBackend::CreateJob(const std::string& display_name, JobType type) {
  return Value<JobId>(Call("CreateJob", {{"display_name", display_name}, {"type", type}}), "CreateJob");
}
Status RemoteBackend::GetJob(const JobId& job) { return Done(Call("GetJob", OnJob(job))); }
Result<std::vector<JobId>> RemoteBackend::EnumJobs(EnumScope scope) {
  return Value<std::vector<JobId>>(Call("EnumJobs", {{"scope", scope}}), "EnumJobs");
}

Status RemoteBackend::AddFile(const JobId& job, const std::string& remote_url, const std::string& local_name) {
  return Done(Call("AddFile", {{"job", job}, {"remote_url", remote_url}, {"local_name", local_name}}));
}
Result<std::vector<FileStatus>> RemoteBackend::GetFiles(const JobId& job) {
  return Value<std::vector<FileStatus>>(Call("GetFiles", OnJob(job)), "GetFiles");
}
Status RemoteBackend::AddFileSet(const JobId& job, const std::vector<FileToAdd>& files) {
  return Done(Call("AddFileSet", {{"job", job}, {"files", files}}));
}
Status RemoteBackend::AddFileWithRanges(const JobId& job, const std::string& remote_url, const std::string& local_name,
                                        const std::vector<FileRange>& ranges) {
  return Done(Call("AddFileWithRanges",
                   {{"job", job}, {"remote_url", remote_url}, {"local_name", local_name}, {"ranges", ranges}}));
}
Result<std::vector<FileRange>> RemoteBackend::GetFileRanges(const JobId& job, std::size_t file_index) {
  return Value<std::vector<FileRange>>(Call("GetFileRanges", OnFile(job, file_index)), "GetFileRanges");
}
Status RemoteBackend::ReplaceRemotePrefix(const JobId& job, const std::string& old_prefix, const std::string& new_prefix) {
  return Done(Call("ReplaceRemotePrefix", {{"job", job}, {"old_prefix", old_prefix}, {"new_prefix", new_prefix}}));
}
Status RemoteBackend::SetRemoteName(const JobId& job, std::size_t file_index, const std::string& remote_name) {
  Json args = OnFile(job, file_index);
  args["remote_name"] = remote_name;
  return Done(Call("SetRemoteName", std::move(args)));
}
Result<std::string> RemoteBackend::GetTemporaryName(const JobId& job, std::size_t file_index) {
  return Value<std::string>(Call("GetTemporaryName", OnFile(job, file_index)), "GetTemporaryName");
}
Status RemoteBackend::SetValidationState(const JobId& job, std::size_t file_index, bool valid) {
  Json args = OnFile(job, file_index);
  args["valid"] = valid;
  return Done(Call("SetValidationState", std::move(args)));
}
Result<bool> RemoteBackend::GetValidationState(const JobId& job, std::size_t file_index) {
  return Value<bool>(Call("GetValidationState", OnFile(job, file_index)), "GetValidationState");
}
Result<bool> RemoteBackend::IsDownloadedFromPeer(const JobId& job, std::size_t file_index) {
  return Value<bool>(Call("IsDownloadedFromPeer", OnFile(job, file_index)), "IsDownloadedFromPeer");
}

Status RemoteBackend::SetDisplayName(const JobId& job, const std::string& name) {
  return Done(Call("SetDisplayName", {{"job", job}, {"name", name}}));
}
Result<std::string> RemoteBackend::GetDisplayName(const JobId& job) {
  return Value<std::string>(Call("GetDisplayName", OnJob(job)), "GetDisplayName");
}
Status RemoteBackend::SetDescription(const JobId& job, const std::string& description) {
  return Done(Call("SetDescription", {{"job", job}, {"description", description}}));
}
Result<std::string> RemoteBackend::GetDescription(const JobId& job) {
  return Value<std::string>(Call("GetDescription", OnJob(job)), "GetDescription");
}
Status RemoteBackend::SetPriority(const JobId& job, JobPriority priority) {
  return Done(Call("SetPriority", {{"job", job}, {"priority", priority}}));
}
Result<JobPriority> RemoteBackend::GetPriority(const JobId& job) {
  return Value<JobPriority>(Call("GetPriority", OnJob(job)), "GetPriority");
}
Status RemoteBackend::SetMinimumRetryDelay(const JobId& job, std::uint32_t seconds) {
  return Done(Call("SetMinimumRetryDelay", {{"job", job}, {"seconds", seconds}}));
}
Result<std::uint32_t> RemoteBackend::GetMinimumRetryDelay(const JobId& job) {
  return Value<std::uint32_t>(Call("GetMinimumRetryDelay", OnJob(job)), "GetMinimumRetryDelay");
}
Status RemoteBackend::SetNoProgressTimeout(const JobId& job, std::uint32_t seconds) {
  return Done(Call("SetNoProgressTimeout", {{"job", job}, {"seconds", seconds}}));
}
Result<std::uint32_t> RemoteBackend::GetNoProgressTimeout(const JobId& job) {
  return Value<std::uint32_t>(Call("GetNoProgressTimeout", OnJob(job)), "GetNoProgressTimeout");
}
Status RemoteBackend::SetMaximumDownloadTime(const JobId& job, std::uint32_t seconds) {
  return Done(Call("SetMaximumDownloadTime", {{"job", job}, {"seconds", seconds}}));
}
Result<std::uint32_t> RemoteBackend::GetMaximumDownloadTime(const JobId& job) {
  return Value<std::uint32_t>(Call("GetMaximumDownloadTime", OnJob(job)), "GetMaximumDownloadTime");
}
Result<JobType> RemoteBackend::GetType(const JobId& job) { return Value<JobType>(Call("GetType", OnJob(job)), "GetType"); }
Result<std::string> RemoteBackend::GetOwner(const JobId& job) {
  return Value<std::string>(Call("GetOwner", OnJob(job)), "GetOwner");
}
Status RemoteBackend::TakeOwnership(const JobId& job) { return Done(Call("TakeOwnership", OnJob(job))); }

Status RemoteBackend::SetProxySettings(const JobId& job, const ProxySettings& settings) {
  return Done(Call("SetProxySettings", {{"job", job}, {"settings", settings}}));
}
Result<ProxySettings> RemoteBackend::GetProxySettings(const JobId& job) {
  return Value<ProxySettings>(Call("GetProxySettings", OnJob(job)), "GetProxySettings");
}
Status RemoteBackend::SetCredentials(const JobId& job, const AuthCredentials& credentials) {
  return Done(Call("SetCredentials", {{"job", job}, {"credentials", credentials}}));
}
Status RemoteBackend::RemoveCredentials(const JobId& job, AuthTarget target, AuthScheme scheme) {
  return Done(Call("RemoveCredentials", {{"job", job}, {"target", target}, {"scheme", scheme}}));
}

Status RemoteBackend::SetCustomHeaders(const JobId& job, const std::optional<std::string>& headers) {
  return Done(Call("SetCustomHeaders", {{"job", job}, {"headers", headers ? Json(*headers) : Json(nullptr)}}));
}
Result<std::optional<std::string>> RemoteBackend::GetCustomHeaders(const JobId& job) {
  const Result<Json> value = Value<Json>(Call("GetCustomHeaders", OnJob(job)), "GetCustomHeaders");
  if (!value.ok()) return value.status();
  if (value->is_null()) return std::optional<std::string>();
  if (!value->is_string()) return Status(hr::kFail, "GetCustomHeaders: not text: " + value->dump());
  return std::optional<std::string>(value->get<std::string>());
}
Status RemoteBackend::SetSecurityFlags(const JobId& job, std::uint32_t flags) {
  return Done(Call("SetSecurityFlags", {{"job", job}, {"flags", flags}}));
}
Result<std::uint32_t> RemoteBackend::GetSecurityFlags(const JobId& job) {
  return Value<std::uint32_t>(Call("GetSecurityFlags", OnJob(job)), "GetSecurityFlags");
}

Status RemoteBackend::SetJobProperty(const JobId& job, JobPropertyId id, const JobPropertyValue& value) {
  return Done(Call("SetJobProperty", {{"job", job}, {"id", id}, {"value", value}}));
}
Result<JobPropertyValue> RemoteBackend::GetJobProperty(const JobId& job, JobPropertyId id) {
  return Value<JobPropertyValue>(Call("GetJobProperty", {{"job", job}, {"id", id}}), "GetJobProperty");
}

Status RemoteBackend::SetNotifyFlags(const JobId& job, std::uint32_t flags) {
  return Done(Call("SetNotifyFlags", {{"job", job}, {"flags", flags}}));
}
Result<std::uint32_t> RemoteBackend::GetNotifyFlags(const JobId& job) {
  return Value<std::uint32_t>(Call("GetNotifyFlags", OnJob(job)), "GetNotifyFlags");
}
Status RemoteBackend::SetNotifyInterface(const JobId& job, std::shared_ptr<JobCallback> callback) {
  const Json address =
      callback ? Json{{"apartment", client_.apartment()}, {"callback", client_.NumberOf(callback)}} : Json(nullptr);
  return Done(Call("SetNotifyInterface", {{"job", job}, {"callback", address}}));
}
Result<std::shared_ptr<JobCallback>> RemoteBackend::GetNotifyInterface(const JobId& job) {
  const Result<Json> address = Value<Json>(Call("GetNotifyInterface", OnJob(job)), "GetNotifyInterface");
  if (!address.ok()) return address.status();
  if (address->is_null()) return std::shared_ptr<JobCallback>();
  return client_.CallbackNumbered(address->value("apartment", std::uint64_t{0}), address->value("callback", std::uint64_t{0}));
}
Status RemoteBackend::SetNotifyCmdLine(const JobId& job, const NotifyCommandLine& command_line) {
  return Done(Call("SetNotifyCmdLine", {{"job", job}, {"command_line", command_line}}));
}
Result<NotifyCommandLine> RemoteBackend::GetNotifyCmdLine(const JobId& job) {
  return Value<NotifyCommandLine>(Call("GetNotifyCmdLine", OnJob(job)), "GetNotifyCmdLine");
}

Status RemoteBackend::Resume(const JobId& job) { return Done(Call("Resume", OnJob(job))); }
Status RemoteBackend::Suspend(const JobId& job) { return Done(Call("Suspend", OnJob(job))); }
Status RemoteBackend::Cancel(const JobId& job) { return Done(Call("Cancel", OnJob(job))); }
Status RemoteBackend::Complete(const JobId& job) { return Done(Call("Complete", OnJob(job))); }

Result<JobState> RemoteBackend::GetState(const JobId& job) {
  return Value<JobState>(Call("GetState", OnJob(job)), "GetState");
}
Result<JobProgress> RemoteBackend::GetProgress(const JobId& job) {
  return Value<JobProgress>(Call("GetProgress", OnJob(job)), "GetProgress");
}
Result<JobTimes> RemoteBackend::GetTimes(const JobId& job) {
  return Value<JobTimes>(Call("GetTimes", OnJob(job)), "GetTimes");
}
Result<JobError> RemoteBackend::GetError(const JobId& job) {
  return Value<JobError>(Call("GetError", OnJob(job)), "GetError");
}
Result<std::uint32_t> RemoteBackend::GetErrorCount(const JobId& job) {
  return Value<std::uint32_t>(Call("GetErrorCount", OnJob(job)), "GetErrorCount");
}

}  // namespace bitsh::remote
