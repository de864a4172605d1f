// FakeBitsService: the simulated BITS service. It owns the job queue, the users, the virtual clock
// and the event queue; clients talk to it through Backend connections (Connect), exactly as
// programs talk to the real service through IBackgroundCopyManager.
//
// Nothing here sleeps or reads the wall clock: time moves only through RunUntilIdle, AdvanceBy and
// RunUntil. Bytes come from a Transport (scripted in unit tests, HTTP against the local file server)
// and land in BITxxxx.tmp files beside each job's local file, renamed on Complete.
//
// Single-threaded. The service must outlive every Backend it handed out.
//
// Public: this header and what it includes (fake_options.h, transport.h, event_log.h,
// event_queue.h, virtual_clock.h), plus the transports (scripted_transport.h, http_transport.h)
// and network_plan.h. The job record, the state tables, the scheduler and the snapshot code are
// internal to fake/: not installed, and only forward-declared here (fake/CMakeLists.txt lists the
// public headers; the fake.public_headers test checks none includes an internal one).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "backend/backend.h"
#include "fake/event_log.h"
#include "fake/event_queue.h"
#include "fake/fake_options.h"
#include "fake/local_disk.h"
#include "fake/transport.h"

namespace bitsh::fake {

// Internal to fake/ (fake_job.h, job_state_machine.h).
struct FakeJob;
class JobTable;
enum class JobOperation;
enum class TransitionCause;

class FakeBitsService {
 public:
  // Starts the service; when options.snapshot_path holds a snapshot, the queue is restored from it
  // (a new process picking up after the harness crashed). REQUIRES: transport outlives the service.
  //
  // The snapshot is checked field by field before any of it is used (fake/snapshot_reader.h): the
  // whole queue loads, or none of it. A snapshot that fails a check (or cannot be read) makes the
  // service refuse to run: startup_status() then holds the error, whose message names the file,
  // the job and the field; every Backend call that touches jobs (CreateJob, EnumJobs and each call
  // on a job id) returns that Status; and the service never writes the snapshot, so the refused
  // file stays exactly as it was for the user to inspect or repair (Restart reads it again).
  // Nothing throws. docs/decisions.md, "A snapshot that fails its checks".
  FakeBitsService(FakeOptions options, Transport& transport);
  ~FakeBitsService();
  FakeBitsService(const FakeBitsService&) = delete;
  FakeBitsService& operator=(const FakeBitsService&) = delete;

  // --- Users ---------------------------------------------------------------------------------
  // Adds (or updates) a user. Jobs transfer only while their owner is logged on (spec §4).
  void AddUser(const std::string& name, bool is_admin = false, bool logged_on = true);
  // A logged-off owner's transferring jobs go back to QUEUED and wait for LogOn (spec T13).
  void LogOff(const std::string& name);
  void LogOn(const std::string& name);

  // A Backend acting as `user`. An unknown user is added as a logged-on standard user.
  std::unique_ptr<Backend> Connect(const std::string& user);

  // --- Network -------------------------------------------------------------------------------
  // Losing the network puts active jobs in TRANSIENT_ERROR with BG_E_NETWORK_DISCONNECTED (not
  // counted as errors); its return queues every TRANSIENT_ERROR job again (spec T11, T12).
  void SetNetworkAvailable(bool available);
  bool network_available() const { return network_available_; }
  // What the network costs from now on (cost_states: one bit or more) and whether it is congested.
  // Jobs whose transfer policy does not allow it wait in TRANSIENT_ERROR with
  // BG_E_BLOCKED_BY_COST_TRANSFER_POLICY, not counted as errors, and go on when it does (spec T15).
  // The default: cost_states::kUnrestricted, not congested.
  void SetNetworkCost(std::uint32_t cost, bool congested = false);
  std::uint32_t network_cost() const { return network_cost_; }
  // The MaxInternetBandwidth group policy changes (its window opens or closes): FakeOptions.
  void SetMaxInternetBandwidth(std::optional<std::uint64_t> bytes_per_s);
  // Changes the shared bandwidth from the next transfer step on. 0 = unlimited.
  void SetBandwidth(std::uint64_t bytes_per_s);
  // Changes the virtual time each new request takes before its first byte.
  void SetRequestLatency(Duration latency);
  // Changes the packet loss from the next transfer step on (FakeOptions::packet_loss).
  void SetPacketLoss(double rate, Duration retransmit_delay);
  // Every open connection breaks now: running jobs fail with BG_E_RECEIVE_FAILURE (transient,
  // counted, retried after the retry delay), as a drop at a moment in time does.
  void DropConnections();

  // --- Service lifetime ----------------------------------------------------------------------
  // A simulated service restart (or reboot): the queue is written to the snapshot, forgotten and
  // read back; transfers resume from the bytes actually in each temporary file. Returns the
  // outcome: a failed write leaves the service running on the queue in memory, untouched; a
  // snapshot that fails its checks leaves it refusing to run (startup_status()). Ok also when a
  // service that had refused its snapshot now loads it. An empty options.snapshot_path is E_FAIL.
  //
  // Every change is written: an API call's as a record appended to the snapshot's journal before
  // the call returns (flushed unless FakeOptions::flush_snapshot is off), the transfer engine's
  // when the run returns (SaveChanges). The snapshot itself is replaced whole (durably: a
  // temporary file in the same folder, flushed, renamed over it, the folder flushed) when there
  // is none yet, when the journal outgrows it, and here, after which the journal starts again.
  // Loading replays the journal on the snapshot; a record cut short by a crash is dropped and
  // logged (fake/snapshot_reader.h). A missing snapshot folder is created. A write that fails is
  // returned by the call that caused it (CreateJob, AddFile and the Set* calls then undo their
  // change), or, for a change made by the transfer engine, noted in the event log.
  //
  // `while_stopped`, when given, runs after the queue is written and forgotten and before it is
  // read back: what happens to the machine while the service is down (a temporary file cut short
  // behind BITS's back, a snapshot edited). The service holds no file open meanwhile.
  Status Restart(const std::function<void()>& while_stopped = {});
  // Ok while the service runs; otherwise why it refuses to: its snapshot could not be loaded.
  const Status& startup_status() const { return startup_status_; }
  // Ok unless the engine tried a state change its table (fake/job_state_machine.h) does not have:
  // a bug of the fake. The change is not made, the event log has a "bug" line, this holds the
  // first such error (E_FAIL, naming the job, its state and the cause), and from then on every
  // Backend call that touches jobs returns it, as for a refused snapshot. Tests check it stays Ok.
  const Status& engine_status() const { return engine_status_; }

  // --- Time ----------------------------------------------------------------------------------
  // Elapsed virtual time: what every timer of the service runs on (retry delays, the no-progress
  // and inactivity timeouts, the maximum download time).
  TimePoint Now() const { return clock_.Now(); }
  // The machine's wall clock: what a job's times (GetTimes) are stamped with. It is Now() until
  // JumpWallClock moves it.
  TimePoint WallNow() const { return clock_.Now() + wall_clock_offset_; }
  // The machine's wall clock is set forward (or back, with a negative `by`), as a user or a time
  // server does. Job times stamped from now on follow it; times already stamped stay, and no timer
  // moves: BITS's timers run on elapsed time ("changing the wall clock moves neither", the
  // SetMinimumRetryDelay and SetNoProgressTimeout pages). The offset lasts across Restart, as the
  // machine's clock does.
  void JumpWallClock(Duration by);
  // Writes the changes the transfer engine made since the last write to the journal (an API call
  // writes its own before it returns). RunUntilIdle, AdvanceBy and RunUntil do it before they
  // return; a caller that runs the event queue itself (sim::Machine) calls it when it stops, so
  // that a crash of the harness after that point loses nothing. Ok when there is no snapshot.
  Status SaveChanges() { return PersistChanges(/*durable=*/false); }
  // Runs events until none is left or `limit` of virtual time passed. True when idle.
  bool RunUntilIdle(Duration limit = std::chrono::hours(24 * 365));
  // Runs events due within `duration`, then sets the clock to now + duration.
  void AdvanceBy(Duration duration);
  // Runs events until `done()` holds (checked after each event) or `limit` passed. True when done.
  bool RunUntil(const std::function<bool()>& done, Duration limit = std::chrono::hours(24 * 365));

  // --- The machine's disk -------------------------------------------------------------------
  // Where temporary files are written and Complete renames them: its faults (a full volume, new
  // files refused, a locked local file) are set here and last across Restart (fake/local_disk.h).
  LocalDisk& disk() { return disk_; }
  const LocalDisk& disk() const { return disk_; }

  const EventLog& log() const { return log_; }
  // Calls `listener` with every line added to the event log from now on (EventLog::AddListener):
  // how a caller sees lines the log's bound will drop.
  void ListenToLog(EventLog::Listener listener) { log_.AddListener(std::move(listener)); }
  // Adds a line to the event log at the current virtual time, for what the harness around the
  // service did (a scenario's trigger fired), so that the trace shows it where it happened.
  void Note(std::string_view job, std::string_view kind, std::string_view detail) { log_.Add(Now(), job, kind, detail); }
  const FakeOptions& options() const { return options_; }
  EventQueue& events() { return events_; }

 private:
  friend class FakeBackend;
  friend class FakeBitsServiceTestPeer;  // fake/'s own tests reach the engine through it
  struct User {
    bool is_admin = false;
    bool logged_on = true;
  };

  // The Backend operations, on behalf of `caller` (fake_service_api.cc).
  Result<JobId> CreateJob(const std::string& caller, const std::string& display_name, JobType type);
  Status GetJob(const std::string& caller, const JobId& id);
  Result<std::vector<JobId>> EnumJobs(const std::string& caller, EnumScope scope);
  Status AddFile(const std::string& caller, const JobId& id, const std::string& remote_url,
                 const std::string& local_name);
  // AddFileSet: every file checked (CheckNewFile, then the set against the limits) before any is
  // added, and the set saved as one change.
  // With `ranges`, the set is one file and only those ranges of it are downloaded (AddFileWithRanges).
  Status AddFiles(const std::string& caller, const JobId& id, const std::vector<FileToAdd>& files,
                  const std::vector<FileRange>& ranges = {});
  Result<std::vector<FileRange>> GetFileRanges(const std::string& caller, const JobId& id, std::size_t file_index);
  // AddFile's checks of one file's names (E_INVALIDARG, ERROR_PATH_NOT_FOUND).
  Status CheckNewFile(const FileToAdd& file) const;
  // HIGH_PERFORMANCE files are written at their local names: refuses names another live file writes to.
  Status CheckInPlaceNames(const std::vector<FileToAdd>& files) const;
  // IBackgroundCopyFile3 (fake_service_api.cc).
  Result<std::string> GetTemporaryName(const std::string& caller, const JobId& id, std::size_t file_index);
  Status SetValidationState(const std::string& caller, const JobId& id, std::size_t file_index, bool valid);
  Result<bool> GetValidationState(const std::string& caller, const JobId& id, std::size_t file_index);
  Result<std::vector<FileStatus>> GetFiles(const std::string& caller, const JobId& id);
  Status SetProperty(const std::string& caller, const JobId& id, const std::function<Status(FakeJob&)>& set);
  Status ReplaceRemotePrefix(const std::string& caller, const JobId& id, const std::string& old_prefix,
                             const std::string& new_prefix);
  Status SetRemoteName(const std::string& caller, const JobId& id, std::size_t file_index, const std::string& remote_name);
  // Gives files new remote names ((index, name), checked by the caller), saved, or none of them.
  Status RenameRemoteFiles(FakeJob& job, std::vector<std::pair<std::size_t, std::string>> renamed);
  Status TakeOwnership(const std::string& caller, const JobId& id);
  Status Resume(const std::string& caller, const JobId& id);
  Status Suspend(const std::string& caller, const JobId& id);
  Status Cancel(const std::string& caller, const JobId& id);
  Status Complete(const std::string& caller, const JobId& id);
  Result<JobError> GetError(const std::string& caller, const JobId& id);
  // The job if `caller` may use it: BG_E_NOT_FOUND, or E_ACCESSDENIED for another user's job.
  Result<FakeJob*> Open(const std::string& caller, const JobId& id);
  // The job, or nullptr once a restart forgot it (for events that may outlive their job).
  FakeJob* FindJob(const JobId& id);
  // The job, which must exist (an event of a job the service still holds); throws otherwise.
  FakeJob& JobAt(const JobId& id);
  // Open, then the state table's verdict on `operation`: the job and its transition, or the
  // documented failure (BG_E_INVALID_STATE, BG_E_EMPTY, ...). Defined in fake_service_api.cc.
  struct Permitted;
  Result<Permitted> OpenFor(const std::string& caller, const JobId& id, JobOperation operation);
  bool IsAdmin(const std::string& user) const;
  // Not Ok while the service refuses calls: a refused snapshot, or an engine bug.
  const Status& Refusal() const { return startup_status_.ok() ? engine_status_ : startup_status_; }

  // Notifications (fake_service_notify.cc): the three setters, then what the engine calls when a
  // job changes, and the deliveries, which run as events (never inside a Backend call).
  Status SetNotifyFlags(const std::string& caller, const JobId& id, std::uint32_t flags);
  // SetMaximumDownloadTime (fake_service_transfer.cc): a running job's clock takes the new limit at once.
  Status SetMaximumDownloadTime(const std::string& caller, const JobId& id, std::uint32_t seconds);
  Status SetNotifyInterface(const std::string& caller, const JobId& id, std::shared_ptr<JobCallback> callback);
  Status SetNotifyCmdLine(const std::string& caller, const JobId& id, const NotifyCommandLine& command_line);
  // Sets the job's modification time to now and owes its callback a JobModification.
  void Touch(FakeJob& job);
  // The job entered its present state: TRANSFERRED and ERROR owe their notice, final states drop
  // the callback, other changes are modifications.
  void NoteStateEntered(FakeJob& job);
  // A file of the job has just been transferred: owes FileTransferred.
  void NoteFileDone(FakeJob& job);
  // A registration (callback, flags, command line) covers the job's present state: report it again.
  void RenewStateNotice(FakeJob& job);
  // Delivers the job's owed notices (files first, then its state) at `at`, or earlier if already due.
  void ScheduleNotices(FakeJob& job, TimePoint at);
  void DeliverNotices(const JobId& id);
  void DeliverModification(const JobId& id, std::uint64_t token);
  // Starts the job's command line (FakeOptions::notify_launcher); true when it exited with 0.
  bool RunCommandLine(const FakeJob& job);
  // Who hears the job: its callback interface, else the object its notification CLSID activates
  // (FakeOptions::notification_servers; `activated` keeps it for the rest of one delivery), else
  // nullptr. REGDB_E_CLASSNOTREG when the CLSID's server is not registered.
  Result<std::shared_ptr<JobCallback>> ListenerOf(FakeJob& job, std::shared_ptr<JobCallback>& activated);

  // The transfer engine (fake_service_transfer.cc).
  // The only way a job's state changes: to NextState(job.state, cause), the cause table's row.
  // A cause with no row for the job's state is refused (RefuseStateChange); `why` goes to the log.
  void SetState(FakeJob& job, TransitionCause cause, std::string_view why = {});
  void RefuseStateChange(FakeJob& job, TransitionCause cause);
  void ScheduleDispatch();
  void Dispatch();
  void StartJob(FakeJob& job);
  // A DYNAMIC_CONTENT file starts again from byte 0, with no probe (fake_service_transfer.cc).
  void StartDynamicFile(FakeJob& job, std::size_t index);
  void Connect(FakeJob& job);
  void StartStep(FakeJob& job);
  // `index` is the file the step was for: the step may have found it whole on disk, and then the
  // job's current file is already the next one (or none).
  void FinishStep(FakeJob& job, std::size_t index, const FetchResult& result);
  void RestartChangedFile(FakeJob& job);
  void FailJob(FakeJob& job, const TransferError& error);
  void ScheduleDeadline(FakeJob& job);
  // The maximum download time (IBackgroundCopyJob4): the clock runs while the job is CONNECTING or
  // TRANSFERRING (SetState starts and stops it); Resume sets it back to zero.
  // Its timer is lazy: a job that stops to run again by itself (QUEUED, TRANSIENT_ERROR) keeps the
  // pending event as a background one, and the event looks at the time spent when it fires. A
  // retry's attempt scheduled and cancelled an event each: half the event heap of a run of weeks
  // was such cancelled events. A kept event is no later than the limit can next run out (a limit
  // lowered while the job waits is caught up with at the next start), and the event that ends the
  // job has the time and the place among same-instant events that an eager timer's, scheduled at
  // the start of the run, had (EventQueue::TakePlace). More events run than with an eager timer
  // (a kept one firing early or while the job waits; neither changes anything), so counts of
  // events run differ, and a run that steps event by event may stop at a kept timer's time.
  void StartDownloadClock(FakeJob& job);
  void StopDownloadClock(FakeJob& job);  // in every state change to a state that does not run
  void ScheduleDownloadTimeCheck(FakeJob& job, TimePoint at);
  void ResetDownloadClock(FakeJob& job);  // Resume: the time spent goes back to zero
  void OnMaxDownloadTime(FakeJob& job);
  // JobInactivityTimeout: checks at modified + timeout whether the job was touched since; cancels
  // it if not, looks again at the new time if so.
  void ScheduleInactivityCheck(FakeJob& job);
  void OnInactivityCheck(const JobId& id);
  // Cancel's work (Cancel and the inactivity timeout): temporary files deleted, the job CANCELLED.
  // Returns how many temporary files could not be deleted.
  int CancelJob(FakeJob& job, TransitionCause cause, const std::string& why);
  void OnRetry(FakeJob& job);
  void OnDeadline(FakeJob& job);
  // Stops whatever the job is doing; bytes fetched but not yet counted are cut from the temp file.
  void Interrupt(FakeJob& job);
  void CancelTimers(FakeJob& job);
  bool MayTransfer(const FakeJob& job) const;
  bool CostAllows(const FakeJob& job) const;
  // Why the job may not transfer now, if a hold applies: BG_E_BLOCKED_BY_POLICY, then
  // BG_E_BLOCKED_BY_COST_TRANSFER_POLICY.
  std::optional<HResult> HoldOf(const FakeJob& job) const;
  // True for a job waiting in TRANSIENT_ERROR on a hold (BG_E_BLOCKED_BY_*), not on a retry.
  bool IsHeld(const FakeJob& job) const;
  // Holds the job if HoldOf says so, or lets it go on if its hold is over.
  void ApplyHolds(FakeJob& job);
  // Job properties (fake_service_api.cc).
  Status SetJobProperty(const std::string& caller, const JobId& id, JobPropertyId property, const JobPropertyValue& value);
  Result<JobPropertyValue> GetJobProperty(const std::string& caller, const JobId& id, JobPropertyId property);
  // The transport that moves a file's bytes: the one given to the constructor for http(s), the
  // service's own LocalFileTransport for a local path, UNC path or file:// URL (remote_name.h).
  Transport& SourceOf(const std::string& remote_url);
  // Applies the job's redirect policy to a request that was redirected (`redirected_to` not empty):
  // the file's remote name becomes the final URL (ALLOW_REPORT) or the refused target (DISALLOW).
  void TakeRedirect(FakeJob& job, std::size_t file_index, const std::string& redirected_to);
  // Lets the file's transport close the file's stream; nothing for an index past the last file.
  void ReleaseStream(const FakeJob& job, std::size_t file_index);
  // The segments of body bytes [offset, offset + bytes) of the job's file `index` lost under
  // FakeOptions::packet_loss, retransmissions lost again included.
  std::uint64_t LostSegments(const FakeJob& job, std::size_t index, std::uint64_t offset, std::uint64_t bytes) const;
  std::size_t ActiveTransfers() const { return running_.size(); }
  // Keeps the queued index, the running set and the live-job counts in step with job.state.
  void Reindex(FakeJob& job, JobState previous);
  void RebuildIndexes();

  // Persistence (snapshot.cc). The queue on disk is the snapshot plus its journal
  // (fake/journal_file.h): a change is one record appended to the journal, and the snapshot is
  // rewritten whole only when there is none yet, when the journal has grown past its bound, and
  // at Restart. Nothing is written while the service refuses to run.
  //
  // Writes the whole queue to the snapshot and starts the journal again. Failures are logged too.
  Status SaveSnapshot();
  // The job changed: it goes into the next record.
  void MarkChanged(const FakeJob& job);
  // Writes one record with every job changed since the last one (the whole snapshot when needed,
  // as above). `durable`: an API call's change, flushed to disk before the call returns when
  // options_.flush_snapshot says so; the engine's changes are written as the run returns
  // (SaveChanges) and not flushed (a power cut may undo them; a crash of the process cannot).
  Status PersistChanges(bool durable);
  // The text of the whole snapshot, or of a journal record of the changed jobs; E_INVALIDARG for
  // a string that is not UTF-8 (JSON text cannot hold it).
  Result<std::string> QueueText(bool whole_snapshot) const;
  std::string QueueJson(bool whole_snapshot) const;  // QueueText's work; throws nlohmann's exception
  // Reads and adopts the snapshot whole, or sets startup_status_ and adopts nothing.
  Status LoadSnapshot();
  // At start and at Restart: loads the snapshot if there is one, else starts an empty queue (and
  // removes a journal left without its snapshot). Sets startup_status_.
  Status StartFromDisk();
  void Log(const FakeJob& job, std::string_view kind, std::string_view detail);

  FakeOptions options_;
  Transport& transport_;
  std::unique_ptr<Transport> local_sources_;  // LocalFileTransport over options_.windows_paths
  VirtualClock clock_;
  LocalDisk disk_;
  Duration wall_clock_offset_ = Duration::zero();  // WallNow() - Now()
  EventQueue events_;
  EventLog log_;
  // A log line being built (SetState's, FailJob's): its memory stays for the next one, so the lines
  // a run writes on every retry allocate nothing once it has grown. Free again once the line is in
  // the log (EventLog::Add copies it before any listener runs).
  std::string log_line_;
  std::string reason_;  // the same for the reason a retry's state line gives (FailJob)
  // Connect's request to probe a file, kept for the same reason: a retry's probe copies its URL
  // into memory the last one left.
  ProbeRequest probe_request_;
  // Every job, found by id in one step and walked in id order, so that enumeration and snapshots
  // are deterministic (fake/job_table.h).
  std::unique_ptr<JobTable> jobs_;
  std::map<std::string, User> users_;
  // Indexes over jobs_, so scheduling costs O(log n) per change rather than a scan of the queue.
  using QueuedIndex = std::set<std::tuple<std::uint32_t, std::uint64_t, JobId>>;  // (priority, turn, id)
  QueuedIndex queued_;
  // Nodes of jobs that left the queue, for the next job that enters it: a retrying job leaves and
  // enters once per retry, and a tree node allocated and freed each time was a fifth of the
  // allocations of a run of retries. A few suffice: jobs leave and enter one by one.
  static constexpr std::size_t kSpareQueuedNodes = 16;
  std::vector<QueuedIndex::node_type> spare_queued_nodes_;
  // CONNECTING or TRANSFERRING, sorted: a flat set, so that a job starting and stopping (twice per
  // retry) allocates nothing. Few jobs run at once, so inserting into the middle is cheap.
  std::vector<JobId> running_;
  std::map<std::string, std::size_t> live_jobs_per_user_;             // not ACKNOWLEDGED/CANCELLED
  std::size_t live_jobs_ = 0;
  // Dispatch's working lists, kept between runs for their memory (Dispatch runs after every change
  // and never inside itself); defined in dispatch_scratch.h.
  struct DispatchScratch;
  std::unique_ptr<DispatchScratch> dispatch_scratch_;
  bool network_available_ = true;
  std::uint32_t network_cost_ = cost_states::kUnrestricted;
  bool network_congested_ = false;
  std::optional<TimePoint> network_lost_at_;
  EventId dispatch_event_ = 0;
  Status startup_status_;                  // not Ok: the snapshot was refused; jobs are refused too
  Status engine_status_;                   // not Ok: the engine broke its state table; likewise
  std::uint64_t jobs_created_ = 0;         // seeds job ids
  std::uint64_t temp_files_named_ = 0;     // numbers BITxxxx.tmp names
  std::uint64_t next_turn_ = 1;
  std::uint64_t next_notice_token_ = 1;    // tells a job's pending JobModification from a stale one
  std::set<JobId> changed_;                // jobs changed since the last journal record (with a queue on disk)
  std::uint64_t journal_seq_ = 0;          // the last record written, or folded into the snapshot
  std::uint64_t journal_bytes_ = 0;        // the journal's size since the snapshot was last written
  std::uint64_t snapshot_bytes_ = 0;       // the snapshot's size when last written or read
  bool snapshot_on_disk_ = false;          // written or loaded by this service: records may follow it
  bool journal_suspect_ = false;           // an append or a removal failed: write the snapshot next
};

}  // namespace bitsh::fake
