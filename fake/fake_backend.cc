#include "fake/fake_backend.h"

#include <algorithm>
#include <cstdio>

#include "fake/credentials.h"
#include "fake/custom_headers.h"
#include "fake/proxy_route.h"
#include "fake/fake_job.h"
#include "fake/fake_service.h"

namespace bitsh::fake {

template <typename T, typename Read>
Result<T> FakeBackend::Get(const JobId& job, Read read) {
  Result<FakeJob*> opened = service_.Open(user_, job);
  if (!opened.ok()) return opened.status();
  return T(read(**opened));
}

Result<JobId> FakeBackend::CreateJob(const std::string& display_name, JobType type) {
  return service_.CreateJob(user_, display_name, type);
}
Status FakeBackend::GetJob(const JobId& job) { return service_.GetJob(user_, job); }
Result<std::vector<JobId>> FakeBackend::EnumJobs(EnumScope scope) { return service_.EnumJobs(user_, scope); }
Status FakeBackend::AddFile(const JobId& job, const std::string& remote_url, const std::string& local_name) {
  return service_.AddFile(user_, job, remote_url, local_name);
}
Result<std::vector<FileStatus>> FakeBackend::GetFiles(const JobId& job) { return service_.GetFiles(user_, job); }
Status FakeBackend::ReplaceRemotePrefix(const JobId& job, const std::string& old_prefix, const std::string& new_prefix) {
  return service_.ReplaceRemotePrefix(user_, job, old_prefix, new_prefix);
}
Status FakeBackend::AddFileSet(const JobId& job, const std::vector<FileToAdd>& files) {
  return service_.AddFiles(user_, job, files);
}
Status FakeBackend::AddFileWithRanges(const JobId& job, const std::string& remote_url, const std::string& local_name,
                                      const std::vector<FileRange>& ranges) {
  if (ranges.empty()) return Status::InvalidArg("AddFileWithRanges needs one range or more");
  return service_.AddFiles(user_, job, {FileToAdd{remote_url, local_name}}, ranges);
}
Result<std::vector<FileRange>> FakeBackend::GetFileRanges(const JobId& job, std::size_t file_index) {
  return service_.GetFileRanges(user_, job, file_index);
}
Result<std::string> FakeBackend::GetTemporaryName(const JobId& job, std::size_t file_index) {
  return service_.GetTemporaryName(user_, job, file_index);
}
Status FakeBackend::SetValidationState(const JobId& job, std::size_t file_index, bool valid) {
  return service_.SetValidationState(user_, job, file_index, valid);
}
Result<bool> FakeBackend::GetValidationState(const JobId& job, std::size_t file_index) {
  return service_.GetValidationState(user_, job, file_index);
}
Result<bool> FakeBackend::IsDownloadedFromPeer(const JobId& job, std::size_t file_index) {
  // No peer caching in the fake: a file that exists came from its remote name.
  Result<std::string> temporary = service_.GetTemporaryName(user_, job, file_index);
  if (!temporary.ok()) return temporary.status();
  return false;
}
Status FakeBackend::SetRemoteName(const JobId& job, std::size_t file_index, const std::string& remote_name) {
  return service_.SetRemoteName(user_, job, file_index, remote_name);
}

Status FakeBackend::SetDisplayName(const JobId& job, const std::string& name) {
  return service_.SetProperty(user_, job, [&](FakeJob& j) {
    if (Utf16Length(name) > limits::kMaxDisplayNameChars) {
      return Status::StringTooLong("display name of job " + j.id.ToString() + " exceeds 256 characters");
    }
    j.display_name = name;
    return Status::Ok();
  });
}
Result<std::string> FakeBackend::GetDisplayName(const JobId& job) {
  return Get<std::string>(job, [](const FakeJob& j) { return j.display_name; });
}

Status FakeBackend::SetDescription(const JobId& job, const std::string& description) {
  return service_.SetProperty(user_, job, [&](FakeJob& j) {
    if (Utf16Length(description) > limits::kMaxDescriptionChars) {
      return Status::StringTooLong("description of job " + j.id.ToString() + " exceeds 1024 characters");
    }
    j.description = description;
    return Status::Ok();
  });
}
Result<std::string> FakeBackend::GetDescription(const JobId& job) {
  return Get<std::string>(job, [](const FakeJob& j) { return j.description; });
}

Status FakeBackend::SetPriority(const JobId& job, JobPriority priority) {
  return service_.SetProperty(user_, job, [&](FakeJob& j) {
    if (static_cast<std::uint32_t>(priority) > static_cast<std::uint32_t>(JobPriority::kLow)) {
      return Status::NotImplemented("priority " + std::to_string(static_cast<std::uint32_t>(priority)) +
                                    " is not a BG_JOB_PRIORITY");
    }
    j.priority = priority;
    return Status::Ok();
  });
}
Result<JobPriority> FakeBackend::GetPriority(const JobId& job) {
  return Get<JobPriority>(job, [](const FakeJob& j) { return j.priority; });
}

Status FakeBackend::SetMinimumRetryDelay(const JobId& job, std::uint32_t seconds) {
  return service_.SetProperty(user_, job, [&](FakeJob& j) {
    j.retry_delay_s = std::max(seconds, limits::kLowestMinimumRetryDelaySeconds);
    return Status::Ok();
  });
}
Result<std::uint32_t> FakeBackend::GetMinimumRetryDelay(const JobId& job) {
  return Get<std::uint32_t>(job, [](const FakeJob& j) { return j.retry_delay_s; });
}

Status FakeBackend::SetNoProgressTimeout(const JobId& job, std::uint32_t seconds) {
  return service_.SetProperty(user_, job, [&](FakeJob& j) {
    j.no_progress_timeout_s = seconds;
    return Status::Ok();
  });
}
Result<std::uint32_t> FakeBackend::GetNoProgressTimeout(const JobId& job) {
  return Get<std::uint32_t>(job, [](const FakeJob& j) { return j.no_progress_timeout_s; });
}

Result<JobType> FakeBackend::GetType(const JobId& job) {
  return Get<JobType>(job, [](const FakeJob& j) { return j.type; });
}
Result<std::string> FakeBackend::GetOwner(const JobId& job) {
  return Get<std::string>(job, [](const FakeJob& j) { return j.owner; });
}
Status FakeBackend::TakeOwnership(const JobId& job) { return service_.TakeOwnership(user_, job); }

Status FakeBackend::SetProxySettings(const JobId& job, const ProxySettings& settings) {
  return service_.SetProperty(user_, job, [&](FakeJob& j) {
    if (Status valid = CheckProxySettings(settings); !valid.ok()) {
      return Status(valid.code(), "job " + j.id.ToString() + ": " + valid.message());
    }
    j.proxy = settings;
    return Status::Ok();
  });
}
Result<ProxySettings> FakeBackend::GetProxySettings(const JobId& job) {
  return Get<ProxySettings>(job, [](const FakeJob& j) { return j.proxy; });
}

Status FakeBackend::SetCredentials(const JobId& job, const AuthCredentials& credentials) {
  return service_.SetProperty(user_, job, [&](FakeJob& j) {
    if (Status valid = CheckCredentials(credentials); !valid.ok()) {
      return Status(valid.code(), "job " + j.id.ToString() + ": " + valid.message());
    }
    auto same_pair = [&](const AuthCredentials& c) { return c.target == credentials.target && c.scheme == credentials.scheme; };
    if (auto found = std::ranges::find_if(j.credentials, same_pair); found != j.credentials.end()) {
      *found = credentials;
    } else {
      j.credentials.push_back(credentials);
    }
    return Status::Ok();
  });
}

Status FakeBackend::RemoveCredentials(const JobId& job, AuthTarget target, AuthScheme scheme) {
  return service_.SetProperty(user_, job, [&](FakeJob& j) {
    if (Status valid = CheckAuthPair(target, scheme); !valid.ok()) return valid;
    const std::size_t removed = std::erase_if(j.credentials, [&](const AuthCredentials& c) {
      return c.target == target && c.scheme == scheme;
    });
    return removed == 0 ? Status(hr::kFalse, "job " + j.id.ToString() + " had no credentials for the pair") : Status::Ok();
  });
}

Status FakeBackend::SetCustomHeaders(const JobId& job, const std::optional<std::string>& headers) {
  return service_.SetProperty(user_, job, [&](FakeJob& j) {
    if (!headers || headers->empty()) {
      j.custom_headers.reset();
      return Status::Ok();
    }
    if (Utf16Length(*headers) > limits::kMaxCustomHeadersChars) {
      return Status::StringTooLong("custom headers of job " + j.id.ToString() + " exceed 16383 characters");
    }
    if (Result<HeaderFields> fields = ParseCustomHeaders(*headers); !fields.ok()) {
      return Status(fields.status().code(), "job " + j.id.ToString() + ": " + fields.status().message());
    }
    j.custom_headers = headers;
    return Status::Ok();
  });
}
Result<std::optional<std::string>> FakeBackend::GetCustomHeaders(const JobId& job) {
  return Get<std::optional<std::string>>(job, [](const FakeJob& j) { return j.custom_headers; });
}

Status FakeBackend::SetSecurityFlags(const JobId& job, std::uint32_t flags) {
  return service_.SetProperty(user_, job, [&](FakeJob& j) {
    if (!security_flags::AreDocumented(flags)) {
      char hex[16];
      std::snprintf(hex, sizeof hex, "0x%04X", flags);
      return Status::NotImplemented(std::string("security flags ") + hex + " of job " + j.id.ToString() +
                                    " are not BG_SSL_* bits, one BG_HTTP_REDIRECT_POLICY_* value and "
                                    "ALLOW_HTTPS_TO_HTTP");
    }
    j.security_flags = flags;
    return Status::Ok();
  });
}
Result<std::uint32_t> FakeBackend::GetSecurityFlags(const JobId& job) {
  return Get<std::uint32_t>(job, [](const FakeJob& j) { return j.security_flags; });
}
Status FakeBackend::SetJobProperty(const JobId& job, JobPropertyId id, const JobPropertyValue& value) {
  return service_.SetJobProperty(user_, job, id, value);
}
Result<JobPropertyValue> FakeBackend::GetJobProperty(const JobId& job, JobPropertyId id) {
  return service_.GetJobProperty(user_, job, id);
}
Status FakeBackend::SetMaximumDownloadTime(const JobId& job, std::uint32_t seconds) {
  return service_.SetMaximumDownloadTime(user_, job, seconds);
}
Result<std::uint32_t> FakeBackend::GetMaximumDownloadTime(const JobId& job) {
  return Get<std::uint32_t>(job, [](const FakeJob& j) { return j.max_download_time_s; });
}
Status FakeBackend::SetNotifyFlags(const JobId& job, std::uint32_t flags) {
  return service_.SetNotifyFlags(user_, job, flags);
}
Result<std::uint32_t> FakeBackend::GetNotifyFlags(const JobId& job) {
  return Get<std::uint32_t>(job, [](const FakeJob& j) { return j.notify_flags; });
}
Status FakeBackend::SetNotifyInterface(const JobId& job, std::shared_ptr<JobCallback> callback) {
  return service_.SetNotifyInterface(user_, job, std::move(callback));
}
Result<std::shared_ptr<JobCallback>> FakeBackend::GetNotifyInterface(const JobId& job) {
  // In one process every registration is this program's own, so the pointer is always handed back.
  return Get<std::shared_ptr<JobCallback>>(job, [](const FakeJob& j) { return j.callback; });
}
Status FakeBackend::SetNotifyCmdLine(const JobId& job, const NotifyCommandLine& command_line) {
  return service_.SetNotifyCmdLine(user_, job, command_line);
}
Result<NotifyCommandLine> FakeBackend::GetNotifyCmdLine(const JobId& job) {
  return Get<NotifyCommandLine>(job, [](const FakeJob& j) {
    return NotifyCommandLine{j.notify_command_line.program.value_or(""), j.notify_command_line.parameters.value_or("")};
  });
}
Status FakeBackend::Resume(const JobId& job) { return service_.Resume(user_, job); }
Status FakeBackend::Suspend(const JobId& job) { return service_.Suspend(user_, job); }
Status FakeBackend::Cancel(const JobId& job) { return service_.Cancel(user_, job); }
Status FakeBackend::Complete(const JobId& job) { return service_.Complete(user_, job); }

Result<JobState> FakeBackend::GetState(const JobId& job) {
  return Get<JobState>(job, [](const FakeJob& j) { return j.state; });
}

Result<JobProgress> FakeBackend::GetProgress(const JobId& job) {
  return Get<JobProgress>(job, [](const FakeJob& j) {
    JobProgress progress;
    progress.files_total = static_cast<std::uint32_t>(j.files.size());
    for (const FakeFile& file : j.files) {
      if (file.bytes_total == kSizeUnknown) progress.bytes_total = kSizeUnknown;
      else if (progress.bytes_total != kSizeUnknown) progress.bytes_total += file.bytes_total;
      progress.bytes_transferred += file.bytes_transferred;
      if (file.done()) ++progress.files_transferred;
    }
    return progress;
  });
}

Result<JobTimes> FakeBackend::GetTimes(const JobId& job) {
  return Get<JobTimes>(job, [](const FakeJob& j) {
    return JobTimes{j.created, j.modified, j.transfer_completed};
  });
}

Result<JobError> FakeBackend::GetError(const JobId& job) { return service_.GetError(user_, job); }

Result<std::uint32_t> FakeBackend::GetErrorCount(const JobId& job) {
  return Get<std::uint32_t>(job, [](const FakeJob& j) { return j.error_count; });
}

}  // namespace bitsh::fake
