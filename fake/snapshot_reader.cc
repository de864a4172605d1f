// ReadSnapshot: parse, then check every field before the service sees any of it (the rules are
// listed in snapshot_reader.h). Why so strict: the snapshot steers file writes (temporary names)
// and the scheduler's indexes (states, priorities); a damaged value used as found wrote files
// into arbitrary folders and broke invariants the engine relies on (issue 21, item 4).
#include "fake/snapshot_reader.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <system_error>

#include "fake/credentials.h"
#include "fake/custom_headers.h"
#include "fake/file_ranges.h"
#include "fake/journal_file.h"
#include "fake/proxy_route.h"
#include "fake/remote_name.h"
#include "fake/snapshot_fields.h"

namespace bitsh::fake {
namespace {

using nlohmann::json;

const json& Array(const SnapshotFields& fields, std::string_view name) {
  const json& value = fields.At(name);
  if (!value.is_array()) fields.Fail(name, Shown(value) + " is not an array");
  return value;
}

// "BIT" + 4 upper-case hex digits + ".tmp", the only names AddFile gives (docs/decisions.md G11).
bool IsTempFileName(const std::string& name) {
  if (name.size() != 11 || !name.starts_with("BIT") || !name.ends_with(".tmp")) return false;
  return std::all_of(name.begin() + 3, name.begin() + 7,
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'A' && c <= 'F'); });
}

// An absolute path naming a file, with no "." or ".." step that could walk out of its folder.
bool IsPlainFullPath(const std::filesystem::path& path) {
  if (!path.is_absolute() || !path.has_filename()) return false;
  return std::none_of(path.begin(), path.end(), [](const std::filesystem::path& step) {
    return step == "." || step == "..";
  });
}

// `in_place`: the job is HIGH_PERFORMANCE, so its files download straight into their local names.
FakeFile ReadFakeFile(const SnapshotFields& fields, bool in_place) {
  FakeFile file;
  file.remote_url = fields.String("remote_url");
  // The same rule as AddFile's (fake/remote_name.h): a snapshot holds only names AddFile took.
  if (FormOfRemoteName(file.remote_url) == RemoteNameForm::kUnsupported ||
      Utf16Length(file.remote_url) > limits::kMaxUrlChars) {
    fields.Fail("remote_url", "\"" + file.remote_url + "\" is not an http(s) URL, a full local or UNC path or a "
                              "file:// URL of at most 2200 units");
  }
  file.local_name = fields.String("local_name");
  const std::filesystem::path local(file.local_name);
  if (!IsPlainFullPath(local)) fields.Fail("local_name", "\"" + file.local_name + "\" is not a full path to a file");
  // The temporary file is where the engine writes: it must be exactly where AddFile put it.
  file.temp_name = fields.String("temp_name");
  const std::filesystem::path temp(file.temp_name);
  if (in_place && file.temp_name != file.local_name) {
    fields.Fail("temp_name", "\"" + file.temp_name + "\" is not the local_name, where a HIGH_PERFORMANCE job writes");
  }
  if (!in_place && (temp.parent_path() != local.parent_path() || !IsTempFileName(temp.filename().string()))) {
    fields.Fail("temp_name", "\"" + file.temp_name + "\" is not a BITxxxx.tmp name in the folder of local_name (" +
                                 local.parent_path().string() + ")");
  }
  std::error_code error;
  const std::filesystem::file_status on_disk = std::filesystem::symlink_status(temp, error);
  if (!error && std::filesystem::exists(on_disk) && !std::filesystem::is_regular_file(on_disk)) {
    fields.Fail("temp_name", "\"" + file.temp_name + "\" exists and is not a regular file (a symlink or folder)");
  }
  file.bytes_total = fields.Unsigned("bytes_total");
  file.bytes_transferred = fields.Unsigned("bytes_transferred");
  if (file.bytes_total == kSizeUnknown && file.bytes_transferred != 0) {
    fields.Fail("bytes_transferred", std::to_string(file.bytes_transferred) + " bytes of a file whose size is unknown");
  }
  if (file.bytes_total != kSizeUnknown && file.bytes_transferred > file.bytes_total) {
    fields.Fail("bytes_transferred",
                std::to_string(file.bytes_transferred) + " exceeds bytes_total " + std::to_string(file.bytes_total));
  }
  file.remote_version = fields.String("remote_version");
  file.completed = fields.Bool("completed");
  if (file.completed && !file.done()) fields.Fail("completed", "true for a file not fully transferred");
  // Absent in snapshots written before AddFileWithRanges existed: the whole file.
  if (fields.Has("ranges")) {
    const nlohmann::json& list = fields.At("ranges");
    if (!list.is_array()) fields.Fail("ranges", "is not an array");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const SnapshotFields entry(list[i], fields.where() + ": range " + std::to_string(i), {"offset", "length"});
      file.ranges.push_back(FileRange{entry.Unsigned("offset"), entry.Unsigned("length")});
    }
    if (!file.ranges.empty()) {
      if (Status valid = CheckFileRanges(file.ranges, SIZE_MAX); !valid.ok()) fields.Fail("ranges", valid.message());
      if (FormOfRemoteName(file.remote_url) != RemoteNameForm::kHttp) fields.Fail("ranges", "are for http(s) remote names only");
    }
  }
  if (fields.Has("remote_size")) file.remote_size = fields.Unsigned("remote_size");
  if (!file.ranges.empty() && file.bytes_total != kSizeUnknown) {
    // A probed ranged file: its size is the ranges' in the remote file it saw.
    const Result<std::uint64_t> size = RangedSize(file.ranges, file.remote_size);
    if (file.remote_size == kSizeUnknown || !size.ok() || *size != file.bytes_total) {
      fields.Fail("remote_size", "does not give the file's ranges its bytes_total");
    }
  }
  // Absent in snapshots written before SetValidationState existed: not validated.
  if (fields.Has("validated")) file.validated = fields.Bool("validated");
  if (file.validated && !file.done()) fields.Fail("validated", "true for a file not fully transferred");
  file.notified = file.done();  // reported (or passed over) before the restart
  return file;
}

std::optional<JobError> ReadError(const SnapshotFields& job_fields, std::size_t files) {
  if (job_fields.At("error").is_null()) return std::nullopt;
  const SnapshotFields fields(job_fields.At("error"), job_fields.where() + ": error",
                              {"context", "code", "file_index", "protocol"});
  JobError error;
  const std::uint64_t context = fields.Unsigned("context");
  if (context > static_cast<std::uint32_t>(ErrorContext::kServerCertificateCallback)) {
    fields.Fail("context", std::to_string(context) + " is not a BITS error context (0-8)");
  }
  error.context = static_cast<ErrorContext>(context);
  error.code = fields.Unsigned32("code");
  if (Succeeded(error.code)) fields.Fail("code", HResultName(error.code) + " is not a failure code");
  if (!fields.At("file_index").is_null()) {
    const std::uint64_t index = fields.Unsigned("file_index");
    if (index >= files) {
      fields.Fail("file_index", std::to_string(index) + " is not one of the job's " + std::to_string(files) + " files");
    }
    error.file_index = static_cast<std::size_t>(index);
  }
  error.protocol = fields.String("protocol");
  if (error.protocol != "" && error.protocol != "http" && error.protocol != "file") {
    fields.Fail("protocol", "\"" + error.protocol + "\" is not \"http\", \"file\" or empty");
  }
  return error;
}

std::unique_ptr<FakeJob> ReadJob(const json& value, const std::string& where, TimePoint now) {
  auto job = std::make_unique<FakeJob>();
  // The id first, so every later message names the job by it.
  SnapshotFields fields(value, where,
                            {"id", "owner", "type", "display_name", "description", "priority", "retry_delay_s",
                             "no_progress_timeout_s", "custom_headers", "security_flags", "credentials", "proxy", "notify_flags", "notify_command_line", "max_download_time_s", "download_time_ns", "cost_flags", "notification_interval_ms", "notification_clsid", "dynamic_content", "high_performance", "max_download_size",
                             "use_stored_proxy_credentials", "resumed", "state",
                             "files", "created", "modified", "touched", "transfer_completed", "error", "error_count",
                             "no_progress_since", "retry_at", "turn"});
  const std::string id_text = fields.String("id");
  const std::optional<JobId> id = JobId::Parse(id_text);
  if (!id) fields.Fail("id", "\"" + id_text + "\" is not a GUID");
  job->id = *id;
  fields.Rename(where + " " + id->ToString());
  job->owner = fields.String("owner");
  if (job->owner.empty()) fields.Fail("owner", "is empty");
  const std::uint64_t type = fields.Unsigned("type");
  if (type > static_cast<std::uint32_t>(JobType::kUploadReply)) {
    fields.Fail("type", std::to_string(type) + " is not a BITS job type (0-2)");
  }
  job->type = static_cast<JobType>(type);
  job->display_name = fields.String("display_name");
  if (Utf16Length(job->display_name) > limits::kMaxDisplayNameChars) fields.Fail("display_name", "exceeds 256 characters");
  job->description = fields.String("description");
  if (Utf16Length(job->description) > limits::kMaxDescriptionChars) fields.Fail("description", "exceeds 1024 characters");
  const std::uint64_t priority = fields.Unsigned("priority");
  if (priority > static_cast<std::uint32_t>(JobPriority::kLow)) {
    fields.Fail("priority", std::to_string(priority) + " is not a BITS priority (0-3)");
  }
  job->priority = static_cast<JobPriority>(priority);
  job->retry_delay_s = fields.Unsigned32("retry_delay_s");
  if (job->retry_delay_s < limits::kLowestMinimumRetryDelaySeconds) {
    fields.Fail("retry_delay_s", std::to_string(job->retry_delay_s) + " is below the 5 s minimum");
  }
  job->no_progress_timeout_s = fields.Unsigned32("no_progress_timeout_s");
  // Absent in snapshots written before custom headers existed; null when the job has none.
  if (fields.Has("custom_headers")) {
    job->custom_headers = fields.String("custom_headers");
    if (job->custom_headers->empty()) fields.Fail("custom_headers", "is empty (no headers are written as null)");
    if (Utf16Length(*job->custom_headers) > limits::kMaxCustomHeadersChars) fields.Fail("custom_headers", "exceeds 16383 characters");
    if (Result<HeaderFields> parsed = ParseCustomHeaders(*job->custom_headers); !parsed.ok()) {
      fields.Fail("custom_headers", parsed.status().message());
    }
  }
  // Absent in snapshots written before security flags existed: the default, 0.
  if (fields.Has("security_flags")) {
    job->security_flags = fields.Unsigned32("security_flags");
    if (!security_flags::AreDocumented(job->security_flags)) {
      fields.Fail("security_flags", std::to_string(job->security_flags) + " is not a value SetSecurityFlags takes");
    }
  }
  // Absent in snapshots written before credentials existed: none.
  if (fields.Has("credentials")) {
    const json& list = Array(fields, "credentials");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const SnapshotFields entry(list[i], fields.where() + ": credentials " + std::to_string(i),
                                 {"target", "scheme", "user_name", "password"});
      AuthCredentials credentials;
      credentials.target = static_cast<AuthTarget>(entry.Unsigned32("target"));
      credentials.scheme = static_cast<AuthScheme>(entry.Unsigned32("scheme"));
      if (entry.Has("user_name")) credentials.user_name = entry.String("user_name");
      if (entry.Has("password")) credentials.password = entry.String("password");
      if (Status valid = CheckCredentials(credentials); !valid.ok()) entry.Fail("credentials", valid.message());
      job->credentials.push_back(std::move(credentials));
    }
  }
  // Absent in snapshots written before proxy settings existed: PRECONFIG.
  if (fields.Has("proxy")) {
    const SnapshotFields proxy(fields.At("proxy"), fields.where() + ": proxy", {"usage", "proxy_list", "bypass_list"});
    job->proxy.usage = static_cast<ProxyUsage>(proxy.Unsigned32("usage"));
    if (proxy.Has("proxy_list")) job->proxy.proxy_list = proxy.String("proxy_list");
    if (proxy.Has("bypass_list")) job->proxy.bypass_list = proxy.String("bypass_list");
    if (Status valid = CheckProxySettings(job->proxy); !valid.ok()) proxy.Fail("usage", valid.message());
  }
  // Absent in snapshots written before job properties existed: the defaults.
  if (fields.Has("cost_flags")) job->cost_flags = fields.Unsigned32("cost_flags");
  if (fields.Has("notification_interval_ms")) job->notification_interval_ms = fields.Unsigned32("notification_interval_ms");
  if (fields.Has("notification_clsid")) {
    const std::string clsid = fields.String("notification_clsid");
    const std::optional<JobId> parsed = JobId::Parse(clsid);
    if (!parsed || *parsed == JobId()) fields.Fail("notification_clsid", "\"" + clsid + "\" is not a CLSID other than GUID_NULL");
    job->notification_clsid = parsed->ToString();
  }
  if (fields.Has("dynamic_content")) job->dynamic_content = fields.Bool("dynamic_content");
  if (fields.Has("high_performance")) job->high_performance = fields.Bool("high_performance");
  if (fields.Has("max_download_size")) {
    job->max_download_size = fields.Unsigned("max_download_size");
    if (*job->max_download_size == 0) fields.Fail("max_download_size", "0 is not a cap SetJobProperty takes");
  }
  if (fields.Has("use_stored_proxy_credentials")) job->use_stored_proxy_credentials = fields.Bool("use_stored_proxy_credentials");
  // Absent in snapshots written before the maximum download time existed: the defaults.
  if (fields.Has("max_download_time_s")) job->max_download_time_s = fields.Unsigned32("max_download_time_s");
  if (fields.Has("download_time_ns")) {
    job->download_time = Duration(static_cast<std::int64_t>(fields.Unsigned("download_time_ns", kLatestSnapshotNanos)));
  }
  // Absent in snapshots written before notifications existed: the defaults.
  if (fields.Has("notify_flags")) {
    job->notify_flags = fields.Unsigned32("notify_flags");
    if (!notify_flags::AreDocumented(job->notify_flags)) {
      fields.Fail("notify_flags", std::to_string(job->notify_flags) + " is not a value SetNotifyFlags takes");
    }
  }
  if (fields.Has("notify_command_line")) {
    const SnapshotFields line(fields.At("notify_command_line"), fields.where() + ": notify_command_line",
                              {"program", "parameters"});
    if (line.Has("program")) job->notify_command_line.program = line.String("program");
    if (line.Has("parameters")) job->notify_command_line.parameters = line.String("parameters");
    if (!job->notify_command_line.program && job->notify_command_line.parameters) {
      line.Fail("parameters", "parameters without a program (SetNotifyCmdLine refuses them)");
    }
  }
  const std::uint64_t state = fields.Unsigned("state");
  if (state > static_cast<std::uint32_t>(JobState::kCancelled)) {
    fields.Fail("state", std::to_string(state) + " is not a BITS job state (0-8)");
  }
  job->state = static_cast<JobState>(state);
  if (IsFinal(job->state)) {
    fields.Fail("state", std::string(ToString(job->state)) + " is final; a snapshot holds live jobs only");
  }
  const json& files = Array(fields, "files");
  if (job->type != JobType::kDownload && files.size() > 1) fields.Fail("files", "an upload job holds one file");
  for (std::size_t i = 0; i < files.size(); ++i) {
    job->files.push_back(ReadFakeFile(SnapshotFields(files[i], fields.where() + ": file " + std::to_string(i),
                                                 {"remote_url", "local_name", "temp_name", "bytes_total",
                                                  "bytes_transferred", "remote_version", "completed", "validated",
                                                  "ranges", "remote_size"}),
                                      job->high_performance));
  }
  job->created = fields.Time("created");
  job->modified = fields.Time("modified");
  // Absent from snapshots before the wall clock could move, when the two were the same.
  job->touched = fields.Has("touched") ? fields.Time("touched") : job->modified;
  job->transfer_completed = fields.OptionalTime("transfer_completed");
  job->no_progress_since = fields.OptionalTime("no_progress_since");
  job->retry_at = fields.OptionalTime("retry_at");
  // GetTimes' three follow the machine's wall clock, which may have been set back or forward
  // since (FakeBitsService::JumpWallClock): they need not be in order, nor before "now". The
  // elapsed time of the last change must be.
  if (job->touched > now) fields.Fail("touched", "is after the snapshot's \"now\"");
  if (job->type != JobType::kDownload &&
      std::ranges::any_of(job->files, [](const FakeFile& file) { return !file.ranges.empty(); })) {
    fields.Fail("files", "an upload job's file has ranges (AddFileWithRanges is for download jobs)");
  }
  if (job->dynamic_content &&
      std::ranges::any_of(job->files, [](const FakeFile& file) { return !file.ranges.empty(); })) {
    fields.Fail("dynamic_content", "the job has a file with ranges, which dynamic content does not take");
  }
  if (job->no_progress_since && *job->no_progress_since > now) {
    fields.Fail("no_progress_since", "is after the snapshot's \"now\"");
  }
  job->error = ReadError(fields, job->files.size());
  job->error_count = fields.Unsigned32("error_count");
  job->turn = fields.Unsigned("turn");
  // Only Resume takes a job out of SUSPENDED, so a job elsewhere has been resumed. A snapshot from
  // before the field was written: a job with progress or errors was resumed too.
  if (fields.Has("resumed")) {
    job->resumed = fields.Bool("resumed");
    if (!job->resumed && job->state != JobState::kSuspended) {
      fields.Fail("resumed", "false for a job in " + std::string(ToString(job->state)) + ", which only Resume leads to");
    }
  } else {
    job->resumed = job->state != JobState::kSuspended || job->error_count > 0 ||
                   std::ranges::any_of(job->files, [](const FakeFile& file) { return file.bytes_transferred > 0; });
  }
  return job;
}

// The checks across jobs: unique ids and temporary names, known owners, counters ahead of use.
void CheckQueue(const SnapshotContents& contents, const std::string& where) {
  std::map<JobId, std::size_t> ids;
  std::map<std::string, std::string> temp_names;  // temp name -> "job N file M"
  for (std::size_t i = 0; i < contents.jobs.size(); ++i) {
    const FakeJob& job = *contents.jobs[i];
    const std::string job_where = where + ": job " + std::to_string(i) + " " + job.id.ToString();
    if (auto [at, added] = ids.emplace(job.id, i); !added) {
      FailField(job_where, "id", "the id of job " + std::to_string(at->second) + " too; job ids are unique");
    }
    if (!contents.users.contains(job.owner)) FailField(job_where, "owner", "\"" + job.owner + "\" is not a user of the snapshot");
    if (job.turn >= contents.next_turn) FailField(job_where, "turn", std::to_string(job.turn) + " is not below next_turn");
    for (std::size_t f = 0; f < job.files.size(); ++f) {
      // AddFile numbers names from temp_files_named + 1: a counter behind a name in use would
      // hand that name out again (below 0x10000; past it the 4 hex digits have wrapped).
      const std::string name = std::filesystem::path(job.files[f].temp_name).filename().string();
      // A HIGH_PERFORMANCE job's files have no BITxxxx.tmp name (they download in place).
      const std::uint64_t number = job.high_performance ? 0 : std::stoull(name.substr(3, 4), nullptr, 16);
      if (!job.high_performance && contents.temp_files_named < 0x10000 &&
          (number == 0 || number > contents.temp_files_named)) {
        FailField(job_where + ": file " + std::to_string(f), "temp_name",
                  "\"" + name + "\" was not handed out yet (temp_files_named is " +
                      std::to_string(contents.temp_files_named) + ")");
      }
      const std::string here = "job " + std::to_string(i) + " file " + std::to_string(f);
      if (auto [at, added] = temp_names.emplace(job.files[f].temp_name, here); !added) {
        FailField(job_where + ": file " + std::to_string(f), "temp_name", "\"" + at->first + "\" is also the temp_name of " +
                                     at->second);
      }
    }
  }
  if (contents.jobs.size() > contents.jobs_created) {
    FailField(where, "jobs_created", std::to_string(contents.jobs_created) + " is fewer than the " +
                                         std::to_string(contents.jobs.size()) + " jobs");
  }
}

SnapshotContents ReadContents(const json& snapshot, const std::string& where) {
  const SnapshotFields fields(snapshot, where,
                              {"version", "now", "wall_clock_offset_ns", "jobs_created", "temp_files_named", "next_turn",
                               "users", "jobs", "journal_seq"});
  if (const std::uint64_t version = fields.Unsigned("version"); version != kSnapshotVersion) {
    fields.Fail("version", std::to_string(version) + " is not " + std::to_string(kSnapshotVersion) +
                               ", the version this build reads");
  }
  SnapshotContents contents;
  contents.now = fields.Time("now");
  if (fields.Has("wall_clock_offset_ns")) {  // absent from snapshots before the wall clock could move
    const json& offset = fields.At("wall_clock_offset_ns");
    if (!offset.is_number_integer()) fields.Fail("wall_clock_offset_ns", Shown(offset) + " is not a whole number of nanoseconds");
    contents.wall_clock_offset = Duration(offset.get<std::int64_t>());
  }
  if (fields.Has("journal_seq")) contents.journal_seq = fields.Unsigned("journal_seq");  // absent before the journal
  contents.jobs_created = fields.Unsigned("jobs_created");
  contents.temp_files_named = fields.Unsigned("temp_files_named");
  contents.next_turn = fields.Unsigned("next_turn");
  if (contents.next_turn == 0) fields.Fail("next_turn", "0; turns start at 1");
  const json& users = fields.At("users");
  if (!users.is_object()) fields.Fail("users", Shown(users) + " is not an object");
  for (const auto& item : users.items()) {
    if (item.key().empty()) fields.Fail("users", "a user has an empty name");
    const SnapshotFields user(item.value(), where + ": user \"" + item.key() + "\"", {"admin", "logged_on"});
    contents.users[item.key()] = SnapshotUser{user.Bool("admin"), user.Bool("logged_on")};
  }
  const json& jobs = Array(fields, "jobs");
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    contents.jobs.push_back(ReadJob(jobs[i], where + ": job " + std::to_string(i), contents.now));
  }
  CheckQueue(contents, where);
  return contents;
}

// Folds the journal's records into `snapshot` (fake/snapshot.cc writes them: the queue's counters,
// clock and users as they were, the jobs that changed, the ids of the jobs that left). Returns the
// counts for SnapshotContents; throws SnapshotInvalid for a whole record that is not a change.
struct Replay {
  std::uint64_t seq = 0;
  std::size_t records = 0;
  std::uint64_t dropped = 0;
  std::string stop;
};
Replay ReplayJournal(json& snapshot, const JournalContents& journal, const std::string& journal_where) {
  Replay replay;
  const auto seq = snapshot.find("journal_seq");
  replay.seq = seq != snapshot.end() && seq->is_number_unsigned() ? seq->get<std::uint64_t>() : 0;
  replay.dropped = journal.file_bytes - journal.kept_bytes;
  replay.stop = journal.why_stopped;
  for (const JournalContents::Record& record : journal.records) {
    const std::string where = journal_where + ": record at byte " + std::to_string(record.offset);
    json change;
    try {
      change = json::parse(record.payload);
    } catch (const json::parse_error& error) {
      throw SnapshotInvalid{where + ": not JSON: " + error.what()};
    }
    const SnapshotFields fields(change, where,
                                {"seq", "now", "wall_clock_offset_ns", "jobs_created", "temp_files_named", "next_turn",
                                 "users", "jobs", "removed"});
    const std::uint64_t number = fields.Unsigned("seq");
    if (number <= replay.seq) continue;  // folded into the snapshot before a crash removed the journal
    if (number != replay.seq + 1) {
      // A record missing in between: what follows cannot be applied in order.
      replay.dropped = journal.file_bytes - record.offset;
      replay.stop = "the record at byte " + std::to_string(record.offset) + " is number " + std::to_string(number) +
                    ", not " + std::to_string(replay.seq + 1);
      break;
    }
    for (const char* name : {"now", "wall_clock_offset_ns", "jobs_created", "temp_files_named", "next_turn", "users"}) {
      snapshot[name] = fields.At(name);
    }
    const json& jobs = Array(fields, "jobs");
    const json& removed = Array(fields, "removed");
    json& queue = snapshot["jobs"];
    if (!queue.is_array()) throw SnapshotInvalid{journal_where + ": the snapshot's \"jobs\" is not an array"};
    const auto id_of = [](const json& job) -> std::string {
      const auto id = job.find("id");
      return job.is_object() && id != job.end() && id->is_string() ? id->get<std::string>() : std::string();
    };
    for (const json& job : jobs) {
      const std::string id = id_of(job);
      if (id.empty()) fields.Fail("jobs", "a job without an id");
      const auto same = std::find_if(queue.begin(), queue.end(), [&](const json& kept) { return id_of(kept) == id; });
      if (same != queue.end()) *same = job;
      else queue.push_back(job);
    }
    for (const json& id : removed) {
      if (!id.is_string()) fields.Fail("removed", Shown(id) + " is not a job id");
      queue.erase(std::remove_if(queue.begin(), queue.end(), [&](const json& kept) { return id_of(kept) == id.get<std::string>(); }),
                  queue.end());
    }
    replay.seq = number;
    ++replay.records;
  }
  return replay;
}

}  // namespace

Result<SnapshotContents> ReadSnapshot(const std::filesystem::path& path) {
  const std::string where = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(hr::kAccessDenied, where + ": cannot open the snapshot");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status(hr::kFail, where + ": cannot read the snapshot");
  try {
    json snapshot;
    try {
      snapshot = json::parse(text.str());
    } catch (const json::parse_error& error) {
      return Status(hr::kFileCorrupt, where + ": not JSON (byte " + std::to_string(error.byte) + "): " + error.what());
    }
    Result<JournalContents> journal = ReadJournal(JournalPathOf(path));
    if (!journal.ok()) return journal.status();
    const Replay replay = ReplayJournal(snapshot, *journal, JournalPathOf(path).string());
    SnapshotContents contents = ReadContents(snapshot, where);
    contents.journal_seq = replay.seq;
    contents.journal_records_replayed = replay.records;
    contents.journal_bytes_dropped = replay.dropped;
    contents.journal_stop = replay.stop;
    return contents;
  } catch (const SnapshotInvalid& invalid) {
    return Status(hr::kFileCorrupt, invalid.message);
  } catch (const std::exception& error) {
    // Not expected (every access above is checked first); kept so that no exception, not even
    // bad_alloc on an absurd file, crosses the service's API.
    return Status(hr::kFileCorrupt, where + ": " + error.what());
  }
}

}  // namespace bitsh::fake
