// Notifications: the job's callback (JobCallback), its notify flags and its command line.
//
// The engine only notes what a job owes (NoteStateEntered, Touch, a finished file); deliveries run
// later as events of their own, at the same virtual instant or after a retry delay, so a callback
// never runs inside a Backend call or in the middle of a transfer step, and may call the Backend
// itself (Complete from JobTransferred). The rules and where each comes from are in
// docs/decisions.md, "Notifications"; fake/notifications_test.cc checks each.
#include <string>

#include "fake/fake_job.h"
#include "fake/fake_service.h"

namespace bitsh::fake {
namespace {

bool Wants(const FakeJob& job, std::uint32_t flag) {
  return (job.notify_flags & notify_flags::kDisable) == 0 && (job.notify_flags & flag) != 0;
}

bool HasCommandLine(const FakeJob& job) { return job.notify_command_line.program.has_value(); }

// A callback interface, or a notification CLSID to activate one from (ListenerOf).
bool HasListener(const FakeJob& job) { return job.callback || !job.notification_clsid.empty(); }

// The flag that covers a job's present state, or 0 for a state with no notice.
std::uint32_t StateFlag(JobState state) {
  if (state == JobState::kTransferred) return notify_flags::kJobTransferred;
  if (state == JobState::kError) return notify_flags::kJobError;
  return 0;
}

std::string Answer(const Status& status) { return HResultName(status.code()); }

// "This method should return S_OK; otherwise, BITS continues to call this method": only S_OK takes
// the notice (S_FALSE and other success codes do not).
bool Taken(const Status& answer) { return answer.code() == hr::kOk; }

std::string Quoted(const std::optional<std::string>& text) { return "\"" + text.value_or("") + "\""; }

}  // namespace

Status FakeBitsService::SetNotifyFlags(const std::string& caller, const JobId& id, std::uint32_t flags) {
  Status status = SetProperty(caller, id, [&](FakeJob& job) {
    if (!notify_flags::AreDocumented(flags)) {
      return Status::NotImplemented("notify flags 0x" + std::to_string(flags) + " of job " + id.ToString() +
                                    " have bits outside BG_NOTIFY_*");
    }
    job.notify_flags = flags;
    return Status::Ok();
  });
  if (status.ok()) RenewStateNotice(JobAt(id));
  return status;
}

Status FakeBitsService::SetNotifyInterface(const std::string& caller, const JobId& id,
                                           std::shared_ptr<JobCallback> callback) {
  Status status = SetProperty(caller, id, [&](FakeJob& job) {
    job.callback = std::move(callback);
    return Status::Ok();
  });
  FakeJob* job = status.ok() ? &JobAt(id) : nullptr;
  if (job != nullptr && job->callback) {
    job->notice_by_command_line = false;  // a new callback gets its chance first, and at once
    job->notice_not_before.reset();
    RenewStateNotice(*job);
  }
  return status;
}

Status FakeBitsService::SetNotifyCmdLine(const std::string& caller, const JobId& id,
                                         const NotifyCommandLine& command_line) {
  Status status = SetProperty(caller, id, [&](FakeJob& job) {
    if (!command_line.program && command_line.parameters) {
      return Status::InvalidArg("notify command line of job " + id.ToString() + " has parameters but no program");
    }
    if (command_line.program && Utf16Length(*command_line.program) > limits::kMaxNotifyProgramChars) {
      return Status::StringTooLong("notify program of job " + id.ToString() + " exceeds 260 characters");
    }
    if (command_line.parameters && Utf16Length(*command_line.parameters) > limits::kMaxNotifyParametersChars) {
      return Status::StringTooLong("notify parameters of job " + id.ToString() + " exceed 4,000 characters");
    }
    job.notify_command_line = command_line;
    return Status::Ok();
  });
  if (status.ok() && command_line.program) RenewStateNotice(JobAt(id));
  return status;
}

void FakeBitsService::Touch(FakeJob& job) {
  job.modified = WallNow();
  job.touched = Now();
  MarkChanged(job);
  if (!HasListener(job) || !Wants(job, notify_flags::kJobModification) || job.modification_event != 0) return;
  // Changes coalesce: one notice per minimum interval, however many changes it covers.
  TimePoint at = Now();
  const Duration interval = job.notification_interval_ms ? std::chrono::milliseconds(*job.notification_interval_ms)
                                                         : options_.minimum_notification_interval;
  if (job.last_modification_notice) at = std::max(at, *job.last_modification_notice + interval);
  const JobId id = job.id;
  const std::uint64_t token = next_notice_token_++;
  job.modification_token = token;
  job.modification_event = events_.ScheduleAt(at, [this, id, token] { DeliverModification(id, token); });
}

void FakeBitsService::NoteFileDone(FakeJob& job) {
  if (HasListener(job) && Wants(job, notify_flags::kFileTransferred)) {
    ScheduleNotices(job, Now());
    return;
  }
  // Nobody asked: passed over now, not reported to a callback registered later.
  for (FakeFile& file : job.files) {
    if (file.done()) file.notified = true;
  }
}

void FakeBitsService::NoteStateEntered(FakeJob& job) {
  if (IsFinal(job.state)) {
    // The job lets go of its callback and owes nothing more.
    job.callback.reset();
    job.state_notice_owed = false;
    if (job.notice_event != 0) events_.Cancel(job.notice_event);
    if (job.modification_event != 0) events_.Cancel(job.modification_event);
    if (job.inactivity_event != 0) events_.Cancel(job.inactivity_event);
    job.notice_event = job.modification_event = job.inactivity_event = 0;
    return;
  }
  if (StateFlag(job.state) == 0) {
    Touch(job);  // BITS sends no modification for the changes into ERROR and TRANSFERRED
    return;
  }
  // A failed FileTransferred still holds back the job's notice (notice_not_before): files first.
  job.notice_by_command_line = false;
  RenewStateNotice(job);
}

void FakeBitsService::RenewStateNotice(FakeJob& job) {
  if (StateFlag(job.state) == 0 || !Wants(job, StateFlag(job.state))) return;
  if (!HasListener(job) && !HasCommandLine(job)) return;  // nobody to tell; a later registration will be
  job.state_notice_owed = true;
  ScheduleNotices(job, Now());
}

void FakeBitsService::ScheduleNotices(FakeJob& job, TimePoint at) {
  // A callback that failed is called again after the retry delay, not sooner, whatever else
  // happens meanwhile (another file done, a registration made from inside the failed call).
  if (job.notice_not_before) at = std::max(at, *job.notice_not_before);
  if (job.notice_event != 0) {
    const bool pending_in_time = job.notice_at <= at && job.notice_at >= job.notice_not_before.value_or(job.notice_at);
    if (pending_in_time) return;
    events_.Cancel(job.notice_event);
  }
  const JobId id = job.id;
  job.notice_at = std::max(at, Now());
  job.notice_event = events_.ScheduleAt(job.notice_at, [this, id] { DeliverNotices(id); });
}

void FakeBitsService::DeliverNotices(const JobId& id) {
  // The job stays in jobs_ until a restart, which cannot happen inside a callback: `job` stays valid
  // while callbacks run, though they may change it (Complete, Cancel, a new callback).
  FakeJob* found = FindJob(id);
  if (found == nullptr) return;  // an event left by an undone change, after a restart forgot the job
  FakeJob& job = *found;
  job.notice_event = 0;
  if (IsFinal(job.state)) return;
  const Duration retry = std::chrono::seconds(job.retry_delay_s);
  const auto failed = [&](const std::string& call, const Status& answer) {
    Log(job, "notify-failed", call + ": " + Answer(answer) + "; again in " + std::to_string(job.retry_delay_s) + "s");
    job.notice_not_before = Now() + retry;
    ScheduleNotices(job, Now() + retry);
  };
  job.notice_not_before.reset();
  std::shared_ptr<JobCallback> activated;  // a CLSID's object, activated once per delivery
  // Files first, one at a time in the job's order, each only after the one before was taken.
  for (std::size_t index = 0; index < job.files.size(); ++index) {
    if (!job.files[index].done() || job.files[index].notified) continue;
    if (!HasListener(job) || !Wants(job, notify_flags::kFileTransferred)) {
      job.files[index].notified = true;  // nobody asked: passed over, not reported later
      continue;
    }
    const std::string call = "FileTransferred #" + std::to_string(index);
    // Held: the call may replace the job's callback.
    const Result<std::shared_ptr<JobCallback>> callback = ListenerOf(job, activated);
    if (!callback.ok()) {
      failed(call, callback.status());
      return;
    }
    const FakeFile& file = job.files[index];
    const FileStatus status{file.remote_url, file.local_name,
                            FileProgress{file.bytes_total, file.bytes_transferred, file.completed}};
    Log(job, "notify", call);
    const Status answer = (*callback)->FileTransferred(id, status);
    if (IsFinal(job.state)) return;
    if (!Taken(answer)) {
      failed(call, answer);
      return;
    }
    job.files[index].notified = true;  // files are only ever added: the index still holds
  }
  if (!job.state_notice_owed) return;
  const std::uint32_t flag = StateFlag(job.state);
  if (flag == 0 || !Wants(job, flag)) {
    job.state_notice_owed = false;  // the job moved on, or the program no longer asks
    return;
  }
  const bool transferred = flag == notify_flags::kJobTransferred;
  const std::string method = transferred ? "JobTransferred" : "JobError";
  if (HasListener(job) && !job.notice_by_command_line) {
    const Result<std::shared_ptr<JobCallback>> callback = ListenerOf(job, activated);
    const JobError error = job.error.value_or(JobError{});  // a copy: the callback may change the job
    Status answer = callback.status();
    if (callback.ok()) {
      Log(job, "notify", transferred ? method : method + " " + HResultName(error.code));
      answer = transferred ? (*callback)->JobTransferred(id) : (*callback)->JobError(id, error);
    }
    if (Taken(answer) || IsFinal(job.state)) {
      job.state_notice_owed = false;
      return;
    }
    if (!HasCommandLine(job)) {
      failed(method, answer);
      return;
    }
    // "If this method fails and you called SetNotifyCmdLine, the command line is executed and
    // this method is not called again" (the JobTransferred page).
    Log(job, "notify-failed", method + ": " + Answer(answer) + "; the command line takes over");
    job.notice_by_command_line = true;
  }
  if (!HasCommandLine(job)) {
    job.state_notice_owed = false;
    return;
  }
  if (RunCommandLine(job) || IsFinal(job.state)) {
    job.state_notice_owed = false;
    return;
  }
  job.notice_not_before = Now() + retry;  // exited non-zero: again while the job is not completed
  ScheduleNotices(job, Now() + retry);
}

bool FakeBitsService::RunCommandLine(const FakeJob& job) {
  const std::string line = "command line " + Quoted(job.notify_command_line.program) + " " +
                           Quoted(job.notify_command_line.parameters);
  if (!options_.notify_launcher) {
    Log(job, "notify", line + " (not started: no launcher)");
    return true;
  }
  Log(job, "notify", line);
  const int exit_code = options_.notify_launcher(job.id, job.notify_command_line);
  if (exit_code == 0) return true;
  Log(job, "notify-failed", "command line: exit code " + std::to_string(exit_code) + "; again in " +
                                std::to_string(job.retry_delay_s) + "s");
  return false;
}

void FakeBitsService::DeliverModification(const JobId& id, std::uint64_t token) {
  FakeJob* found = FindJob(id);
  if (found == nullptr || found->modification_token != token) return;  // scheduled by a change that was undone
  FakeJob& job = *found;
  job.modification_event = 0;
  if (IsFinal(job.state) || !HasListener(job) || !Wants(job, notify_flags::kJobModification)) return;
  job.last_modification_notice = Now();
  std::shared_ptr<JobCallback> activated;
  const Result<std::shared_ptr<JobCallback>> callback = ListenerOf(job, activated);
  if (!callback.ok()) {
    Log(job, "notify-failed", "JobModification: " + Answer(callback.status()));
    return;  // not called again, as a failed answer is not (below)
  }
  Log(job, "notify", "JobModification");
  // Its answer changes nothing: BITS does not call JobModification again (the page asks for S_OK).
  static_cast<void>((*callback)->JobModification(id));
}

Result<std::shared_ptr<JobCallback>> FakeBitsService::ListenerOf(FakeJob& job, std::shared_ptr<JobCallback>& activated) {
  if (job.callback) return job.callback;  // the interface pointer comes first
  if (job.notification_clsid.empty()) return std::shared_ptr<JobCallback>();
  if (!activated && options_.notification_servers) activated = options_.notification_servers(job.notification_clsid);
  if (!activated) {
    return Status(hr::kClassNotRegistered, "no COM server is registered for notification CLSID " + job.notification_clsid);
  }
  return activated;
}

}  // namespace bitsh::fake
