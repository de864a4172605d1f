// FakeBitsService: construction, users, and the Backend operations (what a client can call).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "backend/units.h"
#include "fake/dispatch_scratch.h"
#include "fake/fake_backend.h"
#include "fake/fake_job.h"
#include "fake/fake_service.h"
#include "fake/file_ranges.h"
#include "fake/job_id.h"
#include "fake/job_properties.h"
#include "fake/job_state_machine.h"
#include "fake/job_table.h"
#include "fake/journal_file.h"
#include "fake/local_file_transport.h"
#include "fake/remote_name.h"

namespace bitsh::fake {

struct FakeBitsService::Permitted {
  FakeJob* job;
  Transition transition;
};

namespace {

JobFacts FactsOf(const FakeJob& job) {
  return JobFacts{job.state, job.type, !job.files.empty(), job.all_files_done(), job.error.has_value()};
}

}  // namespace

FakeBitsService::FakeBitsService(FakeOptions options, Transport& transport)
    : options_(std::move(options)),
      transport_(transport),
      local_sources_(std::make_unique<LocalFileTransport>(options_.windows_paths)),
      clock_(options_.start_time),
      events_(clock_),
      log_(options_.start_time, options_.log_lines_kept),
      jobs_(std::make_unique<JobTable>()),
      dispatch_scratch_(std::make_unique<DispatchScratch>()) {
  if (!options_.snapshot_path.empty()) static_cast<void>(StartFromDisk());  // a refusal is in startup_status_
}

Status FakeBitsService::StartFromDisk() {
  std::error_code error;
  const bool exists = std::filesystem::exists(options_.snapshot_path, error);
  if (error) {
    startup_status_ = Status(hr::kAccessDenied, options_.snapshot_path.string() + ": cannot look for the snapshot: " +
                                                    error.message());
    log_.Add(Now(), "-", "service", "refuses to start: " + startup_status_.ToString());
    return startup_status_;
  }
  if (exists) return LoadSnapshot();
  // A journal without its snapshot belongs to a queue that is gone; its records must not be
  // replayed onto the new one the first write starts.
  if (Status removed = RemoveJournal(JournalPathOf(options_.snapshot_path)); !removed.ok()) {
    startup_status_ = removed;
    log_.Add(Now(), "-", "service", "refuses to start: " + startup_status_.ToString());
    return startup_status_;
  }
  startup_status_ = Status::Ok();
  snapshot_on_disk_ = false;
  return Status::Ok();
}

FakeBitsService::~FakeBitsService() = default;

void FakeBitsService::AddUser(const std::string& name, bool is_admin, bool logged_on) {
  users_[name] = User{is_admin, logged_on};
  log_.Add(Now(), "-", "user", name + (is_admin ? " (admin)" : "") + (logged_on ? " logged on" : " logged off"));
  ScheduleDispatch();
}

void FakeBitsService::LogOff(const std::string& name) {
  users_[name].logged_on = false;
  log_.Add(Now(), "-", "user", name + " logged off");
  for (auto& [id, job] : jobs_->InIdOrder()) {
    if (job->owner == name && (job->state == JobState::kConnecting || job->state == JobState::kTransferring)) {
      Interrupt(*job);
      SetState(*job, TransitionCause::kOwnerLoggedOff, "owner logged off");
    }
  }
  ScheduleDispatch();
}

void FakeBitsService::LogOn(const std::string& name) {
  users_[name].logged_on = true;
  log_.Add(Now(), "-", "user", name + " logged on");
  ScheduleDispatch();
}

std::unique_ptr<Backend> FakeBitsService::Connect(const std::string& user) {
  if (!users_.contains(user)) AddUser(user);
  return std::make_unique<FakeBackend>(*this, user);
}

bool FakeBitsService::IsAdmin(const std::string& user) const {
  auto found = users_.find(user);
  return found != users_.end() && found->second.is_admin;
}

Result<FakeBitsService::Permitted> FakeBitsService::OpenFor(const std::string& caller, const JobId& id,
                                                           JobOperation operation) {
  Result<FakeJob*> opened = Open(caller, id);
  if (!opened.ok()) return opened.status();
  FakeJob& job = **opened;
  const Transition transition = ApplyOperation(operation, FactsOf(job));
  if (!Succeeded(transition.code)) {
    return Status(transition.code, std::string(ToString(operation)) + " on job " + id.ToString() + " in " +
                                       std::string(ToString(job.state)));
  }
  return Permitted{&job, transition};
}

Result<FakeJob*> FakeBitsService::Open(const std::string& caller, const JobId& id) {
  if (!Refusal().ok()) return Refusal();
  FakeJob* job = jobs_->Find(id);
  if (job == nullptr) return Status::NotFound("no job " + id.ToString());
  if (job->owner != caller && !IsAdmin(caller)) {
    return Status::AccessDenied("job " + id.ToString() + " belongs to " + job->owner);
  }
  return job;
}

FakeJob* FakeBitsService::FindJob(const JobId& id) { return jobs_->Find(id); }

FakeJob& FakeBitsService::JobAt(const JobId& id) {
  FakeJob* job = jobs_->Find(id);
  // An event names a job that is gone: a bug of the engine, which cancels a job's events with it.
  if (job == nullptr) throw std::out_of_range("fake: no job " + id.ToString());
  return *job;
}

void FakeBitsService::Log(const FakeJob& job, std::string_view kind, std::string_view detail) {
  log_.Add(Now(), job.IdText(), job.log_track, kind, detail);
  // Whatever the engine logs about a job (a probe, a restart of a file, bytes found on disk) changed
  // something the queue on disk records: the next journal record carries the job.
  MarkChanged(job);
}

Result<JobId> FakeBitsService::CreateJob(const std::string& caller, const std::string& display_name,
                                         JobType type) {
  if (!Refusal().ok()) return Refusal();
  if (Utf16Length(display_name) > limits::kMaxDisplayNameChars) {
    return Status::InvalidArg("display name exceeds 256 characters");
  }
  if (!IsAdmin(caller)) {
    if (live_jobs_per_user_[caller] >= options_.max_jobs_per_user) {
      return Status(hr::kTooManyJobsPerUser, caller + " already has " +
                                                 std::to_string(options_.max_jobs_per_user) + " jobs");
    }
    if (live_jobs_ >= options_.max_jobs_per_machine) {
      return Status(hr::kTooManyJobsPerMachine, "the machine already has " +
                                                    std::to_string(options_.max_jobs_per_machine) + " jobs");
    }
  }
  auto job = std::make_unique<FakeJob>();
  const std::uint64_t created_before = jobs_created_;
  // A counter behind the queue (a hand-edited snapshot) must not hand out an id in use.
  do {
    job->id = MakeJobId(options_.seed, ++jobs_created_);
  } while (jobs_->Find(job->id) != nullptr);
  job->owner = caller;
  job->type = type;
  job->display_name = display_name;
  job->created = job->modified = WallNow();
  job->touched = Now();
  const JobId id = job->id;
  jobs_->Add(std::move(job));
  ++live_jobs_;
  ++live_jobs_per_user_[caller];
  MarkChanged(JobAt(id));
  if (Status saved = PersistChanges(/*durable=*/true); !saved.ok()) {
    // Not on disk, so not created: a restart would lose it. The next job gets the same id.
    jobs_->Remove(id);
    --live_jobs_;
    --live_jobs_per_user_[caller];
    jobs_created_ = created_before;
    return saved;
  }
  log_.Add(Now(), id.ToString(), "create",
           std::string(ToString(type)) + " '" + display_name + "' owner " + caller, JobState::kSuspended);
  ScheduleInactivityCheck(JobAt(id));
  return id;
}

Status FakeBitsService::GetJob(const std::string& caller, const JobId& id) {
  Result<FakeJob*> job = Open(caller, id);
  if (!job.ok()) return job.status();
  if (IsFinal((*job)->state)) return Status::NotFound("job " + id.ToString() + " is " +
                                                      std::string(ToString((*job)->state)));
  return Status::Ok();
}

Result<std::vector<JobId>> FakeBitsService::EnumJobs(const std::string& caller, EnumScope scope) {
  if (!Refusal().ok()) return Refusal();
  if (scope == EnumScope::kAllUsers && !IsAdmin(caller)) {
    return Status::AccessDenied("enumerating all users' jobs needs an administrator; " + caller + " is not");
  }
  std::vector<JobId> ids;
  for (const auto& [id, job] : jobs_->InIdOrder()) {
    if (IsFinal(job->state)) continue;
    if (scope == EnumScope::kCurrentUser && job->owner != caller) continue;
    ids.push_back(id);
  }
  return ids;
}

Status FakeBitsService::AddFile(const std::string& caller, const JobId& id, const std::string& remote_url,
                                const std::string& local_name) {
  return AddFiles(caller, id, {FileToAdd{remote_url, local_name}});
}

Status FakeBitsService::CheckNewFile(const FileToAdd& file) const {
  const std::string& remote_url = file.remote_url;
  // The limit counts UTF-16 units, as BITS stores the name: a byte count would refuse a URL of
  // 2,200 accented characters that BITS accepts.
  const RemoteNameForm form = FormOfRemoteName(remote_url);
  if (form == RemoteNameForm::kUnsupported || Utf16Length(remote_url) > limits::kMaxUrlChars) {
    return Status::InvalidArg("remote name '" + remote_url +
                              "' is not an http(s) URL, a full local or UNC path or a file:// URL of at "
                              "most 2200 UTF-16 units");
  }
  // A name that cannot point anywhere (a bad %-escape, a ".." out of its share) is refused now; one
  // that points at a file not there yet is not: the copy finds out, as BITS's does.
  if (form != RemoteNameForm::kHttp) {
    const LocalSource source = ResolveLocalSource(remote_url, options_.windows_paths);
    if (source.error == hr::kInvalidArg) return Status::InvalidArg("remote name " + source.detail);
  }
  const std::filesystem::path local(file.local_name);
  if (!local.is_absolute() || !local.has_filename()) {
    return Status::InvalidArg("local name '" + file.local_name + "' is not a full path to a file");
  }
  if (!std::filesystem::is_directory(local.parent_path())) {
    return Status(hr::kPathNotFound, "folder of local name '" + file.local_name + "' does not exist");
  }
  return Status::Ok();
}

Status FakeBitsService::CheckInPlaceNames(const std::vector<FileToAdd>& files) const {
  // A HIGH_PERFORMANCE file is written at its local name: no other live file may write there, and
  // it must be a file (or nothing yet), not a folder or a link to elsewhere.
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string& local = files[i].local_name;
    for (std::size_t j = 0; j < i; ++j) {
      if (files[j].local_name == local) return Status::InvalidArg("'" + local + "' is the local name of two files of the set");
    }
    for (const auto& [other_id, other] : jobs_->InIdOrder()) {
      if (IsFinal(other->state)) continue;
      for (const FakeFile& file : other->files) {
        if (file.temp_name == local) {
          return Status::InvalidArg("'" + local + "' is where job " + other_id.ToString() + " already writes");
        }
      }
    }
    std::error_code error;
    const std::filesystem::file_status status = std::filesystem::symlink_status(local, error);
    if (!error && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
      return Status::InvalidArg("'" + local + "' is not a regular file, so it cannot be written in place");
    }
  }
  return Status::Ok();
}

Status FakeBitsService::AddFiles(const std::string& caller, const JobId& id, const std::vector<FileToAdd>& files,
                                 const std::vector<FileRange>& ranges) {
  Result<Permitted> permitted = OpenFor(caller, id, JobOperation::kAddFile);
  if (!permitted.ok()) return permitted.status();
  FakeJob& job = *permitted->job;
  if (files.empty()) return Status::InvalidArg("AddFileSet with no file for job " + id.ToString());
  if (!ranges.empty() && files.size() != 1) return Status::InvalidArg("ranges go with one file");
  if (!ranges.empty()) {  // AddFileWithRanges: one file, its ranges checked first
    if (job.type != JobType::kDownload) return Status::NotImplemented("AddFileWithRanges is for download jobs only");
    if (job.dynamic_content) {  // "It is not supported for downloads that use FILE_RANGES" (DYNAMIC_CONTENT)
      return Status::InvalidArg("job " + id.ToString() + " is set for dynamic content, which takes no ranges");
    }
    if (Status valid = CheckFileRanges(ranges, options_.max_ranges_per_file); !valid.ok()) {
      return Status(valid.code(), "job " + id.ToString() + ": " + valid.message());
    }
    // "Starting with BITS 3.0, the SMB protocol is not supported for ranges" (the page).
    if (FormOfRemoteName(files.front().remote_url) != RemoteNameForm::kHttp) {
      return Status::InvalidArg("ranges of '" + files.front().remote_url + "': ranges are for http(s) remote names only");
    }
  }
  // Every file is checked before any is added: the set goes in whole or not at all.
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (Status valid = CheckNewFile(files[i]); !valid.ok()) {
      return files.size() == 1 ? valid : Status(valid.code(), "file " + std::to_string(i) + " of the set: " + valid.message());
    }
  }
  if (job.high_performance) {
    if (Status free = CheckInPlaceNames(files); !free.ok()) return Status(free.code(), "job " + id.ToString() + ": " + free.message());
  }
  if (job.type != JobType::kDownload && job.files.size() + files.size() > 1) {
    return Status(hr::kTooManyFiles, "upload job " + id.ToString() + " takes one file");
  }
  if (job.files.size() + files.size() > options_.max_files_per_job && !IsAdmin(caller)) {
    return Status(hr::kTooManyFilesInJob, "job " + id.ToString() + " has " + std::to_string(job.files.size()) +
                                              " files; the limit is " + std::to_string(options_.max_files_per_job));
  }
  const FakeJob before = job;  // to undo the whole set if it cannot be saved
  const std::uint64_t named_before = temp_files_named_;
  for (const FileToAdd& added : files) {
    char temp_name[16];
    std::snprintf(temp_name, sizeof temp_name, "BIT%04X.tmp", static_cast<unsigned>(++temp_files_named_ & 0xFFFF));
    FakeFile file;
    file.remote_url = added.remote_url;
    file.local_name = added.local_name;
    // A HIGH_PERFORMANCE job downloads straight into the local file (the BITS_JOB_PROPERTY_ID page).
    file.temp_name = job.high_performance ? added.local_name
                                          : (std::filesystem::path(added.local_name).parent_path() / temp_name).string();
    file.ranges = ranges;
    job.files.push_back(std::move(file));
  }
  Touch(job);  // marks the job changed: it goes into the record below
  if (Status saved = PersistChanges(/*durable=*/true); !saved.ok()) {
    job = before;  // not on disk, so not added
    temp_files_named_ = named_before;
    return saved;
  }
  for (std::size_t i = before.files.size(); i < job.files.size(); ++i) {
    Log(job, "file", "#" + std::to_string(i) + " " + job.files[i].remote_url + " -> " + job.files[i].local_name);
  }
  return Status::Ok();
}

namespace {

// The job's file at `index`, or E_INVALIDARG naming the index.
Result<FakeFile*> FileAt(FakeJob& job, std::size_t index) {
  if (index >= job.files.size()) {
    return Status::InvalidArg("job " + job.id.ToString() + " has no file #" + std::to_string(index));
  }
  return &job.files[index];
}

}  // namespace

Result<std::string> FakeBitsService::GetTemporaryName(const std::string& caller, const JobId& id, std::size_t file_index) {
  Result<FakeJob*> opened = Open(caller, id);
  if (!opened.ok()) return opened.status();
  Result<FakeFile*> file = FileAt(**opened, file_index);
  if (!file.ok()) return file.status();
  return (*file)->temp_name;
}

Result<std::vector<FileRange>> FakeBitsService::GetFileRanges(const std::string& caller, const JobId& id,
                                                              std::size_t file_index) {
  Result<FakeJob*> opened = Open(caller, id);
  if (!opened.ok()) return opened.status();
  Result<FakeFile*> file = FileAt(**opened, file_index);
  if (!file.ok()) return file.status();
  return (*file)->ranges;
}

Result<bool> FakeBitsService::GetValidationState(const std::string& caller, const JobId& id, std::size_t file_index) {
  Result<FakeJob*> opened = Open(caller, id);
  if (!opened.ok()) return opened.status();
  Result<FakeFile*> file = FileAt(**opened, file_index);
  if (!file.ok()) return file.status();
  return (*file)->validated;
}

Status FakeBitsService::SetValidationState(const std::string& caller, const JobId& id, std::size_t file_index, bool valid) {
  Result<Permitted> permitted = OpenFor(caller, id, JobOperation::kSetProperty);
  if (!permitted.ok()) return permitted.status();
  FakeJob& job = *permitted->job;
  Result<FakeFile*> found = FileAt(job, file_index);
  if (!found.ok()) return found.status();
  if (!(*found)->done()) {
    return Status(hr::kPending, "file #" + std::to_string(file_index) + " of job " + id.ToString() +
                                    " is not transferred yet; it can be validated once it is");
  }
  const FakeJob before = job;  // to undo the change if it cannot be saved
  if (valid) {
    (*found)->validated = true;
  } else {
    // The SetValidationState page, for content from the origin server (the fake has no peers):
    // the job moves to ERROR with BG_E_VALIDATION_FAILED and the file's progress is set to zero;
    // Resume downloads it again, probing it first as any file not yet started.
    Interrupt(job);  // the job may be transferring a later file
    CancelTimers(job);
    FakeFile& file = job.files[file_index];
    file.validated = false;
    file.notified = false;  // downloaded again, it is reported again
    file.bytes_transferred = 0;
    file.bytes_total = kSizeUnknown;
    file.remote_version.clear();
    std::error_code ignored;
    std::filesystem::remove(file.temp_name, ignored);
    job.error = JobError{ErrorContext::kRemoteFile, hr::kValidationFailed, file_index,
                         FormOfRemoteName(file.remote_url) == RemoteNameForm::kHttp ? "http" : "file"};
    ++job.error_count;
    Log(job, "error", "BG_E_VALIDATION_FAILED REMOTE_FILE the program found file #" + std::to_string(file_index) + " invalid");
    SetState(job, TransitionCause::kValidationFailed, "file #" + std::to_string(file_index) + " found invalid");
    ScheduleDispatch();  // the job gave up its transfer slot, if it had one
  }
  Touch(job);  // marks the job changed: it goes into the record below
  if (Status saved = PersistChanges(/*durable=*/true); !saved.ok()) {
    if (valid) job = before;  // an invalidation already happened to the temporary file; the state stands
    return saved;
  }
  return Status::Ok();
}

Result<std::vector<FileStatus>> FakeBitsService::GetFiles(const std::string& caller, const JobId& id) {
  Result<FakeJob*> opened = Open(caller, id);
  if (!opened.ok()) return opened.status();
  std::vector<FileStatus> files;
  for (const FakeFile& file : (*opened)->files) {
    files.push_back(FileStatus{file.remote_url, file.local_name,
                               FileProgress{file.bytes_total, file.bytes_transferred, file.completed}});
  }
  return files;
}

Status FakeBitsService::SetProperty(const std::string& caller, const JobId& id,
                                    const std::function<Status(FakeJob&)>& set) {
  Result<Permitted> permitted = OpenFor(caller, id, JobOperation::kSetProperty);
  if (!permitted.ok()) return permitted.status();
  FakeJob& job = *permitted->job;
  const FakeJob before = job;  // to undo the change if it cannot be saved
  Status status = set(job);
  if (!status.ok()) return status;
  Touch(job);  // marks the job changed: it goes into the record below
  if (Status saved = PersistChanges(/*durable=*/true); !saved.ok()) {
    job = before;
    return saved;
  }
  Reindex(job, job.state);  // the priority is part of the queued index's key
  ScheduleDispatch();  // a priority change may change who runs
  return status;
}

Status FakeBitsService::SetJobProperty(const std::string& caller, const JobId& id, JobPropertyId property,
                                       const JobPropertyValue& value) {
  std::string clsid_before;
  Status status = SetProperty(caller, id, [&](FakeJob& job) {
    if (Status allowed = CheckPropertyChange(job, property, value); !allowed.ok()) return allowed;
    clsid_before = job.notification_clsid;
    ApplyPropertyChange(job, property, value);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  FakeJob& job = JobAt(id);
  if (property == JobPropertyId::kCostFlags) ApplyHolds(job);  // at once, also while transferring
  // A new CLSID is a new listener, unless an interface is registered: that one still comes first.
  if (property == JobPropertyId::kNotificationClsid && !job.callback && !job.notification_clsid.empty() &&
      job.notification_clsid != clsid_before) {
    job.notice_by_command_line = false;  // a new listener gets its chance first, as SetNotifyInterface's
    job.notice_not_before.reset();
    RenewStateNotice(job);
  }
  return status;
}

Result<JobPropertyValue> FakeBitsService::GetJobProperty(const std::string& caller, const JobId& id,
                                                        JobPropertyId property) {
  Result<FakeJob*> opened = Open(caller, id);
  if (!opened.ok()) return opened.status();
  if (!IsJobPropertyId(property)) {
    return Status(hr::kUnknownPropertyId, "property " + std::to_string(static_cast<std::uint32_t>(property)) +
                                              " of job " + id.ToString() + " is not a BITS_JOB_PROPERTY_ID");
  }
  const auto interval_ms = std::chrono::duration_cast<std::chrono::milliseconds>(options_.minimum_notification_interval);
  return ReadProperty(**opened, property, static_cast<std::uint32_t>(interval_ms.count()));
}

Status FakeBitsService::ReplaceRemotePrefix(const std::string& caller, const JobId& id, const std::string& old_prefix,
                                            const std::string& new_prefix) {
  Result<Permitted> permitted = OpenFor(caller, id, JobOperation::kSetProperty);
  if (!permitted.ok()) return permitted.status();
  FakeJob& job = *permitted->job;
  if (old_prefix.empty() || new_prefix.empty()) return Status::InvalidArg("ReplaceRemotePrefix needs two non-empty prefixes");
  if (job.type != JobType::kDownload) return Status::NotImplemented("ReplaceRemotePrefix is for download jobs only");
  // Every new name first, so that one bad name changes nothing.
  std::vector<std::pair<std::size_t, std::string>> renamed;
  for (std::size_t i = 0; i < job.files.size(); ++i) {
    const std::string& name = job.files[i].remote_url;
    if (!name.starts_with(old_prefix)) continue;  // case-sensitive, as the page says
    std::string new_name = new_prefix + name.substr(old_prefix.size());
    if (FormOfRemoteName(new_name) == RemoteNameForm::kUnsupported || Utf16Length(new_name) > limits::kMaxUrlChars) {
      return Status::InvalidArg("file #" + std::to_string(i) + " would be named '" + new_name +
                                "', which is not a remote name AddFile takes");
    }
    if (!job.files[i].ranges.empty() && FormOfRemoteName(new_name) != RemoteNameForm::kHttp) {
      return Status::InvalidArg("file #" + std::to_string(i) + " has ranges, which are for http(s) names only, not '" +
                                new_name + "'");
    }
    renamed.emplace_back(i, std::move(new_name));
  }
  if (renamed.empty()) return Status(hr::kFalse, "no remote name of job " + id.ToString() + " starts with " + old_prefix);
  return RenameRemoteFiles(job, std::move(renamed));
}

Status FakeBitsService::SetRemoteName(const std::string& caller, const JobId& id, std::size_t file_index,
                                      const std::string& remote_name) {
  Result<Permitted> permitted = OpenFor(caller, id, JobOperation::kSetProperty);
  if (!permitted.ok()) return permitted.status();
  FakeJob& job = *permitted->job;
  if (job.type != JobType::kDownload) return Status::NotImplemented("SetRemoteName is for download jobs only");
  if (file_index >= job.files.size()) {
    return Status::InvalidArg("job " + id.ToString() + " has no file #" + std::to_string(file_index));
  }
  if (FormOfRemoteName(remote_name) == RemoteNameForm::kUnsupported || Utf16Length(remote_name) > limits::kMaxUrlChars) {
    return Status::InvalidArg("'" + remote_name + "' is not a remote name AddFile takes");
  }
  if (!job.files[file_index].ranges.empty() && FormOfRemoteName(remote_name) != RemoteNameForm::kHttp) {
    return Status::InvalidArg("file #" + std::to_string(file_index) + " has ranges, which are for http(s) names only");
  }
  return RenameRemoteFiles(job, {{file_index, remote_name}});
}

Status FakeBitsService::RenameRemoteFiles(FakeJob& job, std::vector<std::pair<std::size_t, std::string>> renamed) {
  const FakeJob before = job;  // to undo the change if it cannot be saved
  for (auto& [index, new_name] : renamed) {
    // The file's open response is for the old name; the next request goes to the new one, which
    // tells whether the bytes held still hold (the version check of every resume, spec §3.5).
    if (index == job.current_file()) ReleaseStream(job, index);
    Log(job, "file", "#" + std::to_string(index) + " remote name " + job.files[index].remote_url + " -> " + new_name);
    job.files[index].remote_url = std::move(new_name);
  }
  Touch(job);  // marks the job changed: it goes into the record below
  if (Status saved = PersistChanges(/*durable=*/true); !saved.ok()) {
    job = before;
    return saved;
  }
  return Status::Ok();
}

Status FakeBitsService::TakeOwnership(const std::string& caller, const JobId& id) {
  Result<FakeJob*> opened = Open(caller, id);
  if (!opened.ok()) return opened.status();
  FakeJob& job = **opened;
  if (!IsAdmin(caller)) return Status::AccessDenied("TakeOwnership needs an administrator; " + caller + " is not");
  const Transition transition = ApplyOperation(JobOperation::kTakeOwnership, FactsOf(job));
  if (!Succeeded(transition.code)) {
    return Status(transition.code, "job " + id.ToString() + " is " + std::string(ToString(job.state)));
  }
  const FakeJob before = job;  // to undo the change if it cannot be saved
  job.owner = caller;
  Touch(job);
  // The TakeOwnership page: the new owner does not inherit the old one's credentials or headers.
  job.custom_headers.reset();
  job.credentials.clear();
  if (Status saved = PersistChanges(/*durable=*/true); !saved.ok()) {
    job = before;  // not on disk, so not taken
    return saved;
  }
  const std::string& previous_owner = before.owner;
  Log(job, "owner", previous_owner + " -> " + caller);
  --live_jobs_per_user_[previous_owner];
  ++live_jobs_per_user_[caller];
  ScheduleDispatch();
  return Status::Ok();
}

Status FakeBitsService::Resume(const std::string& caller, const JobId& id) {
  Result<Permitted> permitted = OpenFor(caller, id, JobOperation::kResume);
  if (!permitted.ok()) return permitted.status();
  FakeJob& job = *permitted->job;
  const Transition transition = permitted->transition;
  if (job.type != JobType::kDownload) {
    return Status::NotImplemented("the fake transfers download jobs only (docs/decisions.md)");
  }
  ResetDownloadClock(job);  // "Calling Resume resets the elapsed time" (the SetMaximumDownloadTime page)
  // Some properties are fixed from here on (fake/job_properties.h). A first Resume always leaves
  // SUSPENDED, so the state change below saves it.
  job.resumed = true;
  if (transition.next != job.state) {
    if (job.state == JobState::kError) job.no_progress_since.reset();
    if (job.retry_event != 0) events_.Cancel(job.retry_event);
    job.retry_event = 0;
    job.retry_at.reset();
    if (transition.next == JobState::kQueued) job.turn = next_turn_++;  // joins the back of the line
    SetState(job, TransitionCause::kResume, "Resume");
    if (job.no_progress_since) ScheduleDeadline(job);
  } else {
    // No state change, but the download clock was reset: written as a state change would be.
    MarkChanged(job);
    static_cast<void>(PersistChanges(/*durable=*/true));  // a failure is in the event log
  }
  ScheduleDispatch();
  return Status(transition.code, "");
}

Status FakeBitsService::Suspend(const std::string& caller, const JobId& id) {
  Result<Permitted> permitted = OpenFor(caller, id, JobOperation::kSuspend);
  if (!permitted.ok()) return permitted.status();
  FakeJob& job = *permitted->job;
  Interrupt(job);
  CancelTimers(job);
  job.no_progress_since.reset();
  SetState(job, TransitionCause::kSuspend, "Suspend");  // SUSPENDED stays, unlogged
  ScheduleDispatch();
  return Status::Ok();
}

Status FakeBitsService::Cancel(const std::string& caller, const JobId& id) {
  Result<Permitted> permitted = OpenFor(caller, id, JobOperation::kCancel);
  if (!permitted.ok()) return permitted.status();
  const int undeleted = CancelJob(*permitted->job, TransitionCause::kCancel, "Cancel");
  if (undeleted > 0) {
    return Status(hr::kUnableToDeleteFiles, std::to_string(undeleted) + " temporary files remain");
  }
  return Status::Ok();
}

Status FakeBitsService::Complete(const std::string& caller, const JobId& id) {
  Result<Permitted> permitted = OpenFor(caller, id, JobOperation::kComplete);
  if (!permitted.ok()) return permitted.status();
  FakeJob& job = *permitted->job;
  const Transition transition = permitted->transition;
  Interrupt(job);
  for (FakeFile& file : job.files) {
    std::error_code error;
    if (!file.done()) {
      // A HIGH_PERFORMANCE job leaves partial content to its caller, as Cancel does.
      if (!job.high_performance) std::filesystem::remove(file.temp_name, error);
      continue;
    }
    if (file.completed) continue;
    Status renamed;
    if (!std::filesystem::exists(file.temp_name)) {  // a zero-byte file never got bytes: make it now
      LocalFileSink empty(disk_, file.temp_name);
      if (const SinkWrite made = empty.Write(""); !made.error.ok()) renamed = Status(made.error.code, made.error.detail);
    }
    if (renamed.ok()) renamed = disk_.Rename(file.temp_name, file.local_name);
    if (!renamed.ok()) {
      // Spec §2.4: a failed rename leaves the job TRANSFERRED; files already renamed stay. A failed
      // save is in the event log; the rename failure is the answer.
      MarkChanged(job);
      static_cast<void>(PersistChanges(/*durable=*/true));
      Log(job, "rename", "failed: " + renamed.message());
      return renamed;
    }
    file.completed = true;
    file.validated = true;  // "Calling Complete implicitly validates the file" (SetValidationState)
    Log(job, "rename", file.temp_name + " -> " + file.local_name);
  }
  CancelTimers(job);
  SetState(job, TransitionCause::kComplete, "Complete");
  ScheduleDispatch();
  return Status(transition.code, transition.code == hr::kPartialComplete ? "some files were not transferred" : "");
}

int FakeBitsService::CancelJob(FakeJob& job, TransitionCause cause, const std::string& why) {
  Interrupt(job);
  CancelTimers(job);
  int undeleted = 0;
  // "BITS will not clean up any partially downloaded content if a job is cancelled" when it is
  // HIGH_PERFORMANCE: its files are the local files themselves (the BITS_JOB_PROPERTY_ID page).
  for (const FakeFile& file : job.files) {
    if (job.high_performance) break;
    std::error_code error;
    std::filesystem::remove(file.temp_name, error);
    if (error) ++undeleted;
  }
  SetState(job, cause, why);
  ScheduleDispatch();
  return undeleted;
}

void FakeBitsService::ScheduleInactivityCheck(FakeJob& job) {
  if (options_.job_inactivity_timeout <= Duration::zero() || IsFinal(job.state)) return;
  const JobId id = job.id;
  job.inactivity_event = events_.ScheduleBackgroundAt(job.touched + options_.job_inactivity_timeout,
                                                      [this, id] { OnInactivityCheck(id); });
}

void FakeBitsService::OnInactivityCheck(const JobId& id) {
  FakeJob* found = FindJob(id);
  if (found == nullptr) return;
  FakeJob& job = *found;
  job.inactivity_event = 0;
  if (IsFinal(job.state)) return;
  if (Now() - job.touched < options_.job_inactivity_timeout) {
    ScheduleInactivityCheck(job);  // touched since: look again when the new period ends
    return;
  }
  const auto days = std::chrono::duration_cast<std::chrono::hours>(options_.job_inactivity_timeout).count() / 24;
  CancelJob(job, TransitionCause::kInactivityTimeout, "untouched for " + std::to_string(days) + " days (JobInactivityTimeout)");
}

Result<JobError> FakeBitsService::GetError(const std::string& caller, const JobId& id) {
  Result<FakeJob*> opened = Open(caller, id);
  if (!opened.ok()) return opened.status();
  const FakeJob& job = **opened;
  const Transition transition = ApplyOperation(JobOperation::kGetError, FactsOf(job));
  if (!Succeeded(transition.code) || !job.error) {
    return Status(hr::kErrorInformationUnavailable, "job " + id.ToString() + " has no error in " +
                                                        std::string(ToString(job.state)));
  }
  return *job.error;
}

bool FakeBitsService::RunUntilIdle(Duration limit) {
  const TimePoint until = Now() + limit;
  bool idle = false;
  while (true) {
    if (events_.pending() == 0) {  // background timers alone do not keep the service busy
      idle = true;
      break;
    }
    std::optional<TimePoint> next = events_.NextEventTime();
    if (!next || *next > until) {
      idle = !next;
      break;
    }
    events_.RunNext();
  }
  static_cast<void>(SaveChanges());  // a failure is in the event log
  return idle;
}

void FakeBitsService::AdvanceBy(Duration duration) {
  events_.RunUntil(Now() + duration);
  static_cast<void>(SaveChanges());
}

void FakeBitsService::JumpWallClock(Duration by) {
  wall_clock_offset_ += by;
  const bool back = by < Duration::zero();
  log_.Add(Now(), "-", "clock", std::string("wall clock set ") + (back ? "back " : "forward ") + FormatDuration(back ? -by : by));
}

bool FakeBitsService::RunUntil(const std::function<bool()>& done, Duration limit) {
  const TimePoint until = Now() + limit;
  bool finished = true;
  while (!done()) {
    std::optional<TimePoint> next = events_.NextEventTime();
    if (!next || *next > until || events_.pending() == 0) {
      finished = done();
      break;
    }
    events_.RunNext();
  }
  static_cast<void>(SaveChanges());  // a failure is in the event log
  return finished;
}

}  // namespace bitsh::fake
