// FakeJob and FakeFile: the service's record of one job. Internal to fake/.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "backend/job_callback.h"
#include "backend/job_types.h"
#include "fake/event_log.h"
#include "fake/event_queue.h"

namespace bitsh::fake {

// FakeFile::remote_version of a DYNAMIC_CONTENT file under way: no probe gave it a version.
inline constexpr char kDynamicVersion[] = "(dynamic content)";

struct FakeFile {
  std::string remote_url;
  std::string local_name;
  std::string temp_name;  // BITxxxx.tmp beside local_name; exists once bytes arrived
  std::uint64_t bytes_total = kSizeUnknown;
  std::uint64_t bytes_transferred = 0;
  std::string remote_version;  // what the probe saw; empty until probed
  bool completed = false;      // renamed to local_name by Complete
  bool validated = false;      // SetValidationState(TRUE), or Complete
  // Runtime only: its FileTransferred was taken, or nobody asked for it when it finished (a file
  // done before a restart counts as reported).
  bool notified = false;
  // AddFileWithRanges: the remote bytes wanted, in local order (empty: the whole file), and the
  // remote file's size once probed (the ranges' kLengthToEof ends there).
  std::vector<FileRange> ranges;
  std::uint64_t remote_size = kSizeUnknown;

  bool done() const { return bytes_total != kSizeUnknown && bytes_transferred == bytes_total; }
};

struct FakeJob {
  // Persisted.
  JobId id;
  std::string owner;
  JobState state = JobState::kSuspended;  // beside id and owner: EnumJobs reads the three
  JobType type = JobType::kDownload;
  std::string display_name;
  std::string description;
  JobPriority priority = JobPriority::kNormal;
  std::uint32_t retry_delay_s = limits::kDefaultMinimumRetryDelaySeconds;
  std::uint32_t no_progress_timeout_s = limits::kDefaultNoProgressTimeoutSeconds;
  std::uint32_t max_download_time_s = limits::kDefaultMaxDownloadTimeSeconds;  // SetMaximumDownloadTime
  Duration download_time{};  // spent CONNECTING or TRANSFERRING since the last Resume (counted when it stops)
  std::optional<std::string> custom_headers;  // as set (SetCustomHeaders); checked by ParseCustomHeaders
  std::uint32_t security_flags = 0;            // SetSecurityFlags; security_flags::AreDocumented
  ProxySettings proxy;                         // SetProxySettings; checked by CheckProxySettings
  std::vector<AuthCredentials> credentials;    // SetCredentials: one per (target, scheme), in order set
  std::uint32_t notify_flags = notify_flags::kDefault;  // SetNotifyFlags
  std::uint32_t cost_flags = cost_states::kDefaultPolicy;  // SetJobProperty(COST_FLAGS)
  std::optional<std::uint32_t> notification_interval_ms;  // SetJobProperty(MINIMUM_NOTIFICATION_INTERVAL_MS)
  // The other BITS 5 properties (fake/job_properties.h).
  std::string notification_clsid;           // NOTIFICATION_CLSID, registry form; empty: none
  bool dynamic_content = false;             // DYNAMIC_CONTENT
  bool high_performance = false;            // HIGH_PERFORMANCE: files download straight to local_name
  std::optional<std::uint64_t> max_download_size;  // MAX_DOWNLOAD_SIZE, bytes; nullopt: no cap
  bool use_stored_proxy_credentials = false;       // USE_STORED_CREDENTIALS (BG_AUTH_TARGET_PROXY)
  bool resumed = false;  // Resume succeeded once: DYNAMIC_CONTENT and MAX_DOWNLOAD_SIZE are fixed
  NotifyCommandLine notify_command_line;                 // SetNotifyCmdLine; nullopt parts: none
  std::vector<FakeFile> files;
  // GetTimes' three, stamped from the machine's wall clock (FakeBitsService::WallNow).
  TimePoint created;
  TimePoint modified;
  std::optional<TimePoint> transfer_completed;
  // Elapsed time of the last change (modified is its wall-clock reading): where the inactivity
  // timeout counts from, so that setting the wall clock moves no timer.
  TimePoint touched;
  std::optional<JobError> error;
  std::uint32_t error_count = 0;
  std::optional<TimePoint> no_progress_since;  // first transient error without progress since
  std::optional<TimePoint> retry_at;           // when a TRANSIENT_ERROR job is queued again
  std::uint64_t turn = 0;                      // round-robin order within a priority

  // Runtime only (rebuilt after a restart).
  std::optional<std::tuple<std::uint32_t, std::uint64_t, JobId>> queue_key;  // entry in the queued index
  EventId step_event = 0;       // the pending connect or transfer step
  EventId retry_event = 0;
  EventId deadline_event = 0;   // no-progress timeout
  TimePoint deadline_at;        // the time deadline_event was asked for (meaningful while it is not 0)
  std::optional<TimePoint> download_clock_since;  // CONNECTING or TRANSFERRING since then
  EventId download_time_event = 0;                 // the maximum download time may have run out...
  TimePoint download_time_check;                   // ...then (meaningful while the event is not 0)
  std::uint64_t download_time_place = 0;           // its place among events at the same instant
  EventId inactivity_event = 0;                    // JobInactivityTimeout's check (a background timer)
  std::optional<TimePoint> held_since;             // a hold began (not counted by the no-progress clock)
  TimePoint slice_start;
  std::uint64_t bytes_in_flight = 0;  // fetched into the temp file, not yet counted as progress
  // Restarts of the current file because it changed on the server, with no byte kept since the
  // last one (FakeOptions::max_changed_restarts bounds them).
  std::uint32_t changed_restarts = 0;
  // Notifications (fake_service_notify.cc). The callback is never persisted, as BITS keeps no
  // interface pointer across a restart.
  std::shared_ptr<JobCallback> callback;
  bool state_notice_owed = false;      // TRANSFERRED or ERROR not yet reported to anyone
  bool notice_by_command_line = false;  // the callback failed that notice: the command line has it
  // No delivery before this time: a callback failed and waits out the retry delay.
  std::optional<TimePoint> notice_not_before;
  EventId notice_event = 0;            // the pending delivery of file and state notices...
  TimePoint notice_at;                 // ...and when it runs
  EventId modification_event = 0;      // the pending JobModification...
  std::uint64_t modification_token = 0;  // ...whose event carries this (an undone change leaves a stale one)
  std::optional<TimePoint> last_modification_notice;
  // Where the event log keeps this job (its text, the states it entered): found at the job's first
  // line, a cache that logging a const job also fills.
  mutable EventLog::JobTrack log_track;

  bool all_files_done() const {
    for (const FakeFile& file : files) {
      if (!file.done()) return false;
    }
    return true;
  }
  // Index of the file being transferred (the first unfinished one), or files.size().
  std::size_t current_file() const {
    std::size_t i = 0;
    while (i < files.size() && files[i].done()) ++i;
    return i;
  }
  // id.ToString(), formatted once: every log line of the job and every stream key names it.
  const std::string& IdText() const {
    if (id_text_for_ != id || id_text_.empty()) {
      id_text_ = id.ToString();
      id_text_for_ = id;
      stream_key_.clear();
    }
    return id_text_;
  }
  // "{id}#index": the transport's name for the stream of file `file_index`, formatted once per file
  // (every request and every release of a retrying job names it).
  const std::string& StreamKey(std::size_t file_index) const {
    const std::string& id_text = IdText();  // first: a changed id clears the key
    if (stream_key_.empty() || stream_key_file_ != file_index) {
      stream_key_.assign(id_text).append("#").append(std::to_string(file_index));
      stream_key_file_ = file_index;
    }
    return stream_key_;
  }

 private:
  mutable std::string id_text_;  // the cache of IdText(), for the id id_text_for_
  mutable JobId id_text_for_;
  mutable std::string stream_key_;  // the cache of StreamKey(stream_key_file_)
  mutable std::size_t stream_key_file_ = 0;
};

}  // namespace bitsh::fake
