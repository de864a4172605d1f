// FakeBitsService: the on-disk snapshot that makes the queue survive a service restart, a reboot
// or a crash of the harness itself. JSON (nlohmann), written to a temporary name and renamed, so
// a crash mid-write leaves the previous snapshot whole.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>

#include "fake/fake_service.h"

namespace bitsh::fake {
namespace {

using nlohmann::json;

constexpr int kSnapshotVersion = 1;

std::int64_t ToNanos(TimePoint time) { return std::chrono::duration_cast<Duration>(time.time_since_epoch()).count(); }
TimePoint FromNanos(std::int64_t nanos) { return TimePoint(std::chrono::duration_cast<TimePoint::duration>(Duration(nanos))); }

json OptionalTime(const std::optional<TimePoint>& time) { return time ? json(ToNanos(*time)) : json(nullptr); }
std::optional<TimePoint> ReadOptionalTime(const json& value) {
  if (value.is_null()) return std::nullopt;
  return FromNanos(value.get<std::int64_t>());
}

json JobToJson(const FakeJob& job) {
  json files = json::array();
  for (const FakeFile& file : job.files) {
    files.push_back({{"remote_url", file.remote_url},
                     {"local_name", file.local_name},
                     {"temp_name", file.temp_name},
                     {"bytes_total", file.bytes_total},
                     {"bytes_transferred", file.bytes_transferred},
                     {"remote_version", file.remote_version},
                     {"completed", file.completed}});
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
          {"state", static_cast<std::uint32_t>(job.state)},
          {"files", files},
          {"created", ToNanos(job.created)},
          {"modified", ToNanos(job.modified)},
          {"transfer_completed", OptionalTime(job.transfer_completed)},
          {"error", error},
          {"error_count", job.error_count},
          {"no_progress_since", OptionalTime(job.no_progress_since)},
          {"retry_at", OptionalTime(job.retry_at)},
          {"turn", job.turn}};
}

std::unique_ptr<FakeJob> JobFromJson(const json& value) {
  auto job = std::make_unique<FakeJob>();
  std::optional<JobId> id = JobId::Parse(value.at("id").get<std::string>());
  if (!id) throw std::runtime_error("bad job id " + value.at("id").dump());
  job->id = *id;
  job->owner = value.at("owner").get<std::string>();
  job->type = static_cast<JobType>(value.at("type").get<std::uint32_t>());
  job->display_name = value.at("display_name").get<std::string>();
  job->description = value.at("description").get<std::string>();
  job->priority = static_cast<JobPriority>(value.at("priority").get<std::uint32_t>());
  job->retry_delay_s = value.at("retry_delay_s").get<std::uint32_t>();
  job->no_progress_timeout_s = value.at("no_progress_timeout_s").get<std::uint32_t>();
  job->state = static_cast<JobState>(value.at("state").get<std::uint32_t>());
  for (const json& file_value : value.at("files")) {
    FakeFile file;
    file.remote_url = file_value.at("remote_url").get<std::string>();
    file.local_name = file_value.at("local_name").get<std::string>();
    file.temp_name = file_value.at("temp_name").get<std::string>();
    file.bytes_total = file_value.at("bytes_total").get<std::uint64_t>();
    file.bytes_transferred = file_value.at("bytes_transferred").get<std::uint64_t>();
    file.remote_version = file_value.at("remote_version").get<std::string>();
    file.completed = file_value.at("completed").get<bool>();
    job->files.push_back(std::move(file));
  }
  job->created = FromNanos(value.at("created").get<std::int64_t>());
  job->modified = FromNanos(value.at("modified").get<std::int64_t>());
  job->transfer_completed = ReadOptionalTime(value.at("transfer_completed"));
  if (const json& error = value.at("error"); !error.is_null()) {
    JobError record;
    record.context = static_cast<ErrorContext>(error.at("context").get<std::uint32_t>());
    record.code = error.at("code").get<HResult>();
    if (!error.at("file_index").is_null()) record.file_index = error.at("file_index").get<std::size_t>();
    record.protocol = error.at("protocol").get<std::string>();
    job->error = record;
  }
  job->error_count = value.at("error_count").get<std::uint32_t>();
  job->no_progress_since = ReadOptionalTime(value.at("no_progress_since"));
  job->retry_at = ReadOptionalTime(value.at("retry_at"));
  job->turn = value.at("turn").get<std::uint64_t>();
  return job;
}

}  // namespace

void FakeBitsService::SaveSnapshot() {
  if (options_.snapshot_path.empty()) return;
  json users = json::object();
  for (const auto& [name, user] : users_) users[name] = {{"admin", user.is_admin}, {"logged_on", user.logged_on}};
  json jobs = json::array();
  for (const auto& [id, job] : jobs_) {
    if (!IsFinal(job->state)) jobs.push_back(JobToJson(*job));  // final jobs leave the queue
  }
  const json snapshot = {{"version", kSnapshotVersion},
                         {"now", ToNanos(Now())},
                         {"jobs_created", jobs_created_},
                         {"temp_files_named", temp_files_named_},
                         {"next_turn", next_turn_},
                         {"users", users},
                         {"jobs", jobs}};
  const std::filesystem::path temporary = options_.snapshot_path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << snapshot.dump(1) << '\n';
    if (!out) throw std::runtime_error("cannot write snapshot " + temporary.string());
  }
  std::filesystem::rename(temporary, options_.snapshot_path);
}

void FakeBitsService::LoadSnapshot() {
  std::ifstream in(options_.snapshot_path, std::ios::binary);
  json snapshot;
  try {
    snapshot = json::parse(in);
    if (snapshot.at("version").get<int>() != kSnapshotVersion) {
      throw std::runtime_error("snapshot version " + snapshot.at("version").dump() + " is not " +
                               std::to_string(kSnapshotVersion));
    }
  } catch (const json::exception& error) {
    throw std::runtime_error("snapshot " + options_.snapshot_path.string() + ": " + error.what());
  }
  const TimePoint saved_now = FromNanos(snapshot.at("now").get<std::int64_t>());
  if (saved_now > Now()) clock_.AdvanceTo(saved_now);
  jobs_created_ = snapshot.at("jobs_created").get<std::uint64_t>();
  temp_files_named_ = snapshot.at("temp_files_named").get<std::uint64_t>();
  next_turn_ = snapshot.at("next_turn").get<std::uint64_t>();
  for (const auto& [name, user] : snapshot.at("users").items()) {
    users_[name] = User{user.at("admin").get<bool>(), user.at("logged_on").get<bool>()};
  }
  for (const json& value : snapshot.at("jobs")) {
    std::unique_ptr<FakeJob> job = JobFromJson(value);
    const JobId id = job->id;
    jobs_.emplace(id, std::move(job));
  }
  log_.Add(Now(), "-", "service", "started from snapshot with " + std::to_string(jobs_.size()) + " jobs");
  RebuildIndexes();
  for (auto& [id, job] : jobs_) {
    // A transfer in progress when the service stopped is queued again; StartStep then resumes
    // from the bytes really in the temporary file.
    if (job->state == JobState::kConnecting || job->state == JobState::kTransferring) {
      SetState(*job, JobState::kQueued, "service restarted");
    }
    if (job->state == JobState::kTransientError && job->retry_at) {
      const JobId retry_id = id;
      job->retry_event = events_.ScheduleAt(*job->retry_at, [this, retry_id] { OnRetry(*jobs_.at(retry_id)); });
    }
    if (job->no_progress_since) ScheduleDeadline(*job);
  }
  ScheduleDispatch();
}

void FakeBitsService::Restart() {
  if (options_.snapshot_path.empty()) throw std::logic_error("Restart needs FakeOptions::snapshot_path");
  // Stop transfers first (cutting uncounted bytes), then save with the timers still recorded, then
  // drop the pending events: the reloaded jobs schedule their own from the snapshot.
  for (auto& [id, job] : jobs_) Interrupt(*job);
  SaveSnapshot();
  for (auto& [id, job] : jobs_) {
    for (EventId event : {job->retry_event, job->deadline_event}) events_.Cancel(event);
  }
  if (dispatch_event_ != 0) events_.Cancel(dispatch_event_);
  dispatch_event_ = 0;
  jobs_.clear();
  RebuildIndexes();
  log_.Add(Now(), "-", "service", "restart");
  LoadSnapshot();
}

}  // namespace bitsh::fake
