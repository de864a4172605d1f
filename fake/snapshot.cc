// FakeBitsService: the queue on disk that makes it survive a service restart, a reboot or a crash
// of the harness itself: a snapshot of the whole queue, JSON (nlohmann), replaced durably
// (fake/snapshot_file.h) so a crash or power cut mid-write leaves the previous one whole, and a
// journal of the changes since (fake/journal_file.h), one record appended per change. Read back
// through fake/snapshot_reader.h, which replays the journal and checks every field, so a damaged
// file is refused rather than used. docs/decisions.md, "Snapshot format and journal".
#include <nlohmann/json.hpp>

#include <algorithm>

#include "fake/fake_job.h"
#include "fake/fake_service.h"
#include "fake/job_state_machine.h"
#include "fake/job_table.h"
#include "fake/journal_file.h"
#include "fake/snapshot_file.h"
#include "fake/snapshot_reader.h"

namespace bitsh::fake {
namespace {

using nlohmann::json;

std::int64_t ToNanos(TimePoint time) { return std::chrono::duration_cast<Duration>(time.time_since_epoch()).count(); }
json OptionalTime(const std::optional<TimePoint>& time) { return time ? json(ToNanos(*time)) : json(nullptr); }

// Kept in the snapshot as BITS keeps them across restarts; the snapshot lives in the run's work
// folder, so a password is as private as the scenario that holds it.
json CredentialsJson(const std::vector<AuthCredentials>& all) {
  json list = json::array();
  for (const AuthCredentials& c : all) {
    list.push_back({{"target", static_cast<std::uint32_t>(c.target)},
                    {"scheme", static_cast<std::uint32_t>(c.scheme)},
                    {"user_name", c.user_name ? json(*c.user_name) : json(nullptr)},
                    {"password", c.password ? json(*c.password) : json(nullptr)}});
  }
  return list;
}

json RangesJson(const std::vector<FileRange>& ranges) {
  json list = json::array();
  for (const FileRange& range : ranges) list.push_back({{"offset", range.initial_offset}, {"length", range.length}});
  return list;
}

// The download clock as it stands: what it counted, plus the running stretch if the job is running.
std::int64_t DownloadTimeNanos(const FakeJob& job, TimePoint now) {
  Duration spent = job.download_time;
  if (job.download_clock_since) spent += now - *job.download_clock_since;
  return std::chrono::duration_cast<Duration>(spent).count();
}

json OptionalString(const std::optional<std::string>& text) { return text ? json(*text) : json(nullptr); }

json ProxyJson(const ProxySettings& proxy) {
  return {{"usage", static_cast<std::uint32_t>(proxy.usage)},
          {"proxy_list", proxy.proxy_list ? json(*proxy.proxy_list) : json(nullptr)},
          {"bypass_list", proxy.bypass_list ? json(*proxy.bypass_list) : json(nullptr)}};
}

json JobToJson(const FakeJob& job, TimePoint now) {
  // A HIGH_PERFORMANCE job does not persist its progress: until it is TRANSFERRED, a restart finds
  // every file unstarted and downloads it again from byte 0 (the BITS_JOB_PROPERTY_ID page).
  const bool keeps_progress = !job.high_performance || job.state == JobState::kTransferred || IsFinal(job.state);
  json files = json::array();
  for (const FakeFile& file : job.files) {
    // A DYNAMIC_CONTENT file under way starts again from byte 0 anyway, and has no size to record.
    const bool keep = keeps_progress && !(job.dynamic_content && !file.done());
    files.push_back({{"remote_url", file.remote_url},
                     {"local_name", file.local_name},
                     {"temp_name", file.temp_name},
                     {"bytes_total", keep ? file.bytes_total : kSizeUnknown},
                     {"bytes_transferred", keep ? file.bytes_transferred : 0},
                     {"remote_version", keep ? file.remote_version : std::string()},
                     {"completed", file.completed},
                     {"validated", keep && file.validated},  // an unstarted file is not valid yet
                     {"ranges", RangesJson(file.ranges)},
                     {"remote_size", file.remote_size}});
  }
  json error = nullptr;
  if (job.error) {
    error = {{"context", static_cast<std::uint32_t>(job.error->context)},
             {"code", job.error->code},
             {"file_index", job.error->file_index ? json(*job.error->file_index) : json(nullptr)},
             {"protocol", job.error->protocol}};
  }
  return {{"id", job.id.ToString()},
          {"owner", job.owner},
          {"type", static_cast<std::uint32_t>(job.type)},
          {"display_name", job.display_name},
          {"description", job.description},
          {"priority", static_cast<std::uint32_t>(job.priority)},
          {"retry_delay_s", job.retry_delay_s},
          {"no_progress_timeout_s", job.no_progress_timeout_s},
          {"custom_headers", job.custom_headers ? json(*job.custom_headers) : json(nullptr)},
          {"security_flags", job.security_flags},
          {"credentials", CredentialsJson(job.credentials)},
          {"proxy", ProxyJson(job.proxy)},
          {"notify_flags", job.notify_flags},
          {"max_download_time_s", job.max_download_time_s},
          {"cost_flags", job.cost_flags},
          {"notification_interval_ms", job.notification_interval_ms ? json(*job.notification_interval_ms) : json(nullptr)},
          {"notification_clsid", job.notification_clsid.empty() ? json(nullptr) : json(job.notification_clsid)},
          {"dynamic_content", job.dynamic_content},
          {"high_performance", job.high_performance},
          {"max_download_size", job.max_download_size ? json(*job.max_download_size) : json(nullptr)},
          {"use_stored_proxy_credentials", job.use_stored_proxy_credentials},
          {"resumed", job.resumed},
          {"download_time_ns", DownloadTimeNanos(job, now)},
          {"notify_command_line", {{"program", OptionalString(job.notify_command_line.program)},
                                   {"parameters", OptionalString(job.notify_command_line.parameters)}}},
          {"state", static_cast<std::uint32_t>(job.state)},
          {"files", files},
          {"created", ToNanos(job.created)},
          {"modified", ToNanos(job.modified)},
          {"touched", ToNanos(job.touched)},
          {"transfer_completed", OptionalTime(job.transfer_completed)},
          {"error", error},
          {"error_count", job.error_count},
          {"no_progress_since", OptionalTime(job.no_progress_since)},
          {"retry_at", OptionalTime(job.retry_at)},
          {"turn", job.turn}};
}

}  // namespace

Result<std::string> FakeBitsService::QueueText(bool whole_snapshot) const {
  try {
    return QueueJson(whole_snapshot);
  } catch (const json::exception& error) {
    // A string that is not UTF-8 (a name, a description, a URL) cannot be JSON text. Nothing
    // throws out of a save, so nothing throws out of Restart: the caller gets the Status and
    // undoes its change.
    return Status(hr::kInvalidArg, options_.snapshot_path.string() + ": the queue cannot be written: " + error.what());
  }
}

std::string FakeBitsService::QueueJson(bool whole_snapshot) const {
  json users = json::object();
  for (const auto& [name, user] : users_) users[name] = {{"admin", user.is_admin}, {"logged_on", user.logged_on}};
  json text = {{"now", ToNanos(Now())},
               {"wall_clock_offset_ns", wall_clock_offset_.count()},
               {"jobs_created", jobs_created_},
               {"temp_files_named", temp_files_named_},
               {"next_turn", next_turn_},
               {"users", users}};
  json jobs = json::array();
  if (whole_snapshot) {
    for (const auto& [id, job] : jobs_->InIdOrder()) {
      if (!IsFinal(job->state)) jobs.push_back(JobToJson(*job, Now()));  // final jobs leave the queue
    }
    text["version"] = kSnapshotVersion;
    text["journal_seq"] = journal_seq_;
    text["jobs"] = std::move(jobs);
    return text.dump(1) + "\n";
  }
  json removed = json::array();
  for (const JobId& id : changed_) {
    const FakeJob* job = jobs_->Find(id);
    if (job != nullptr && !IsFinal(job->state)) jobs.push_back(JobToJson(*job, Now()));
    else removed.push_back(id.ToString());  // final, or gone (a CreateJob undone)
  }
  text["seq"] = journal_seq_ + 1;
  text["jobs"] = std::move(jobs);
  text["removed"] = std::move(removed);
  return text.dump();  // one line: compact JSON holds no line break
}

void FakeBitsService::MarkChanged(const FakeJob& job) {
  // Without a queue on disk nothing reads the set: a run of weeks would otherwise pay an ordered
  // insert on every state change for nothing.
  if (!options_.snapshot_path.empty()) changed_.insert(job.id);
}

Status FakeBitsService::SaveSnapshot() {
  if (options_.snapshot_path.empty()) return Status::Ok();
  // A service that refused its snapshot never writes one: the refused file is the user's to
  // inspect or repair, and overwriting it would lose the queue it holds.
  if (!startup_status_.ok()) return startup_status_;
  const Result<std::string> queue = QueueText(/*whole_snapshot=*/true);
  if (!queue.ok()) {
    log_.Add(Now(), "-", "service", "snapshot not saved: " + queue.status().ToString());
    return queue.status();
  }
  const std::string& text = *queue;
  Status saved = ReplaceFileDurably(options_.snapshot_path, text, options_.flush_snapshot);
  if (!saved.ok()) {
    log_.Add(Now(), "-", "service", "snapshot not saved: " + saved.ToString());
    return saved;
  }
  // The snapshot holds every record up to journal_seq_, so the journal can go; should removing it
  // fail, its records are skipped on loading (their numbers are not above the snapshot's), and the
  // next write is the snapshot again, so that nothing is appended after them.
  changed_.clear();
  snapshot_on_disk_ = true;
  snapshot_bytes_ = text.size();
  journal_bytes_ = 0;
  const Status removed = RemoveJournal(JournalPathOf(options_.snapshot_path));
  journal_suspect_ = !removed.ok();
  if (!removed.ok()) log_.Add(Now(), "-", "service", "journal not removed: " + removed.ToString());
  return Status::Ok();
}

Status FakeBitsService::PersistChanges(bool durable) {
  if (options_.snapshot_path.empty() || changed_.empty()) return Status::Ok();
  if (!startup_status_.ok()) return startup_status_;
  // The journal grows by a record per change; once it holds more than twice the snapshot (and at
  // least a megabyte), replaying it costs more than rewriting the snapshot, which starts it again.
  const bool compact = journal_bytes_ > std::max<std::uint64_t>(1 << 20, 2 * snapshot_bytes_);
  // Records are only ever read on top of their snapshot: if it went away behind the service's back
  // (its folder deleted), the queue is written whole again, folder and all.
  std::error_code looked;
  const bool snapshot_gone = !std::filesystem::exists(options_.snapshot_path, looked);
  if (!snapshot_on_disk_ || journal_suspect_ || compact || snapshot_gone) return SaveSnapshot();
  const Result<std::string> record = QueueText(/*whole_snapshot=*/false);
  if (!record.ok()) {
    log_.Add(Now(), "-", "service", "journal not written: " + record.status().ToString());
    return record.status();
  }
  const std::string line = JournalLine(*record);
  const Status appended =
      AppendToJournal(JournalPathOf(options_.snapshot_path), line, durable && options_.flush_snapshot);
  if (!appended.ok()) {
    // The append cut the file back to where it was, if it could; if it could not, part or all of
    // the line may be there. Nothing may follow it, so the next write is the whole snapshot, which
    // drops the journal; and the record's number is used up, so that should the journal outlive
    // that write, this record (its number not above the snapshot's) is never replayed. The changes
    // stay marked for that write.
    ++journal_seq_;
    journal_suspect_ = true;
    log_.Add(Now(), "-", "service", "journal not written: " + appended.ToString());
    return appended;
  }
  ++journal_seq_;
  journal_bytes_ += line.size();
  changed_.clear();
  return Status::Ok();
}

Status FakeBitsService::LoadSnapshot() {
  Result<SnapshotContents> read = ReadSnapshot(options_.snapshot_path);
  if (!read.ok()) {
    // Refuse to run rather than start empty: an empty queue would look like lost jobs to the
    // program under test, and the next save would overwrite the file that still holds them.
    startup_status_ = read.status();
    log_.Add(Now(), "-", "service", "refuses to start: " + startup_status_.ToString());
    return startup_status_;
  }
  startup_status_ = Status::Ok();
  SnapshotContents& contents = read.value();
  journal_seq_ = contents.journal_seq;
  snapshot_on_disk_ = true;
  changed_.clear();
  std::error_code sized;
  snapshot_bytes_ = std::filesystem::file_size(options_.snapshot_path, sized);
  if (sized) snapshot_bytes_ = 0;
  journal_bytes_ = std::filesystem::file_size(JournalPathOf(options_.snapshot_path), sized);
  if (sized) journal_bytes_ = 0;
  if (contents.now > Now()) clock_.AdvanceTo(contents.now);
  wall_clock_offset_ = contents.wall_clock_offset;
  jobs_created_ = contents.jobs_created;
  temp_files_named_ = contents.temp_files_named;
  next_turn_ = contents.next_turn;
  for (const auto& [name, user] : contents.users) users_[name] = User{user.is_admin, user.logged_on};
  for (std::unique_ptr<FakeJob>& job : contents.jobs) jobs_->Add(std::move(job));
  log_.Add(Now(), "-", "service", "started from snapshot with " + std::to_string(jobs_->size()) + " jobs");
  if (contents.journal_records_replayed > 0) {
    log_.Add(Now(), "-", "service", "replayed " + std::to_string(contents.journal_records_replayed) + " journal records");
  }
  if (contents.journal_bytes_dropped > 0) {
    // A crash cut the last append short: that change was never acknowledged to anyone.
    log_.Add(Now(), "-", "service", "journal: " + contents.journal_stop + "; its last " +
                                         std::to_string(contents.journal_bytes_dropped) + " bytes were not taken");
  }
  RebuildIndexes();
  for (auto& [id, job] : jobs_->InIdOrder()) {
    // A transfer in progress when the service stopped is queued again; StartStep then resumes
    // from the bytes really in the temporary file.
    if (job->state == JobState::kConnecting || job->state == JobState::kTransferring) {
      SetState(*job, TransitionCause::kServiceRestart, "service restarted");
    }
    if (job->state == JobState::kTransientError && job->retry_at) {
      const JobId retry_id = id;
      job->retry_event = events_.ScheduleAt(*job->retry_at, [this, retry_id] { OnRetry(JobAt(retry_id)); });
    }
    if (job->no_progress_since && !IsHeld(*job)) ScheduleDeadline(*job);  // a hold stops the no-progress clock
    ScheduleInactivityCheck(*job);
    // A notification CLSID outlives the service, as an interface pointer does not: its object is
    // told the job's state again (delivery is at least once; docs/decisions.md, "Notifications").
    if (!job->notification_clsid.empty()) RenewStateNotice(*job);
  }
  // A hold may be over, or begin, with the machine's network and policies as they are now.
  for (auto& [id, job] : jobs_->InIdOrder()) ApplyHolds(*job);
  // What was replayed goes into the snapshot, and a torn tail out of the way of the next append.
  // Until that write succeeds nothing may be appended after the torn bytes (a later load would stop
  // at them): the next write is the whole snapshot again.
  journal_suspect_ = contents.journal_bytes_dropped > 0;
  if (contents.journal_records_replayed > 0 || contents.journal_bytes_dropped > 0) static_cast<void>(SaveSnapshot());
  ScheduleDispatch();
  return Status::Ok();
}

Status FakeBitsService::Restart(const std::function<void()>& while_stopped) {
  if (options_.snapshot_path.empty()) return Status(hr::kFail, "Restart needs FakeOptions::snapshot_path");
  if (startup_status_.ok()) {
    // Save first, with the timers still recorded: if the save fails nothing has changed, and the
    // service keeps running on the queue in memory rather than reloading an older snapshot.
    // Interrupting afterwards is safe: it cuts uncounted bytes from temporary files and changes
    // no recorded field.
    if (Status saved = SaveSnapshot(); !saved.ok()) return saved;
    for (auto& [id, job] : jobs_->InIdOrder()) Interrupt(*job);
  }
  // Drop the pending events: the reloaded jobs schedule their own from the snapshot.
  for (auto& [id, job] : jobs_->InIdOrder()) {
    for (EventId event : {job->retry_event, job->deadline_event, job->notice_event, job->modification_event,
                          job->download_time_event, job->inactivity_event}) {
      events_.Cancel(event);
    }
  }
  if (dispatch_event_ != 0) events_.Cancel(dispatch_event_);
  dispatch_event_ = 0;
  jobs_->Clear();
  RebuildIndexes();
  log_.Add(Now(), "-", "service", "restart");
  if (while_stopped) while_stopped();
  // A service that refused its snapshot reads it again here: the user may have repaired it.
  return StartFromDisk();
}

}  // namespace bitsh::fake
