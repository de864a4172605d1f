// Backend: the BITS download-job API as a portable C++ interface.
//
// A Backend is one client's connection to a BITS service, acting as one user (the process's user
// for real BITS; the user named at connection for the fake). It is the IBackgroundCopyManager and
// IBackgroundCopyJob surface flattened onto job ids, so that decorators (BackendWrapper) and mocks
// stay small. Every call returns a Status or Result carrying the HRESULT real BITS would return
// (hresult.h); nothing throws. Strings are UTF-8; string limits count UTF-16 units as BITS does.
//
// Thread-safety: a Backend is used from one thread at a time. The fake is single-threaded by design
// (virtual time), and the real backend keeps its COM apartment on the thread that created it.
//
// Unless a method says otherwise, every method taking a JobId returns BG_E_NOT_FOUND when no job has
// that id, and E_ACCESSDENIED when the job belongs to another user and the caller is not an
// administrator.
//
// Jobs that ended (ACKNOWLEDGED or CANCELLED, "final"): a caller that still holds the job - as a
// client holds its IBackgroundCopyJob pointer - can read the job, but not change it, and the
// manager no longer shows it:
//   - GetJob returns BG_E_NOT_FOUND, and EnumJobs does not list it;
//   - AddFile, every setter, TakeOwnership, Resume, Suspend, Cancel and Complete return
//     BG_E_INVALID_STATE (a second Cancel or Complete included) and change nothing;
//   - GetState returns the final state; GetFiles, the other getters, GetProgress, GetTimes and
//     GetErrorCount return the values the job ended with;
//   - GetError returns BG_E_ERROR_INFORMATION_UNAVAILABLE.
// "Holds the job": the fake answers so, by id, on every connection that may open the job (its
// owner's, an administrator's) until the service restarts; a restart forgets final jobs (the
// queue keeps live ones only), after which every call on the id returns BG_E_NOT_FOUND. The real
// backend answers so on the connection that created or opened the job before it ended (it keeps
// the COM pointer); on another connection the id has to be looked up in the manager, so every
// call returns BG_E_NOT_FOUND.
// conformance/final_job_tests.cc checks each of these, one test per method taking a job id, on
// the connection that ended the job. Wine's BITS departs from several of them: they are declared
// in conformance/wine_deviations.cc and listed in docs/fidelity.md.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backend/job_callback.h"
#include "backend/job_types.h"
#include "backend/status.h"

namespace bitsh {

class Backend {
 public:
  Backend() = default;
  Backend(const Backend&) = delete;
  Backend& operator=(const Backend&) = delete;
  virtual ~Backend() = default;

  // --- Manager -----------------------------------------------------------------------------

  // Creates a SUSPENDED job owned by the caller and returns its new unique id. Display names may
  // repeat. E_INVALIDARG when display_name exceeds 256 UTF-16 units; BG_E_TOO_MANY_JOBS_PER_USER /
  // _PER_MACHINE over the job limits (administrators are exempt).
  virtual Result<JobId> CreateJob(const std::string& display_name, JobType type) = 0;

  // Succeeds when the caller may open the job (IBackgroundCopyManager::GetJob); BG_E_NOT_FOUND for a
  // job that ended.
  virtual Status GetJob(const JobId& job) = 0;

  // Ids of the caller's jobs (kCurrentUser) or of every user's jobs (kAllUsers, administrators only,
  // else E_ACCESSDENIED) that are not final. A snapshot; the order is not specified.
  virtual Result<std::vector<JobId>> EnumJobs(EnumScope scope) = 0;

  // --- Files -------------------------------------------------------------------------------

  // Appends a file to the job (files transfer one after another, in this order). E_INVALIDARG for a
  // relative local path, an unsupported URL scheme or a URL over 2,200 UTF-16 units;
  // BG_E_TOO_MANY_FILES_IN_JOB over the per-job limit; BG_E_TOO_MANY_FILES for a second file on an
  // upload job; BG_E_INVALID_STATE when the job is final.
  virtual Status AddFile(const JobId& job, const std::string& remote_url,
                         const std::string& local_name) = 0;

  // The job's files in the order they were added, with their progress.
  virtual Result<std::vector<FileStatus>> GetFiles(const JobId& job) = 0;

  // IBackgroundCopyJob::AddFileSet: adds every file, in order, or none: each is checked as
  // AddFile checks it, and the set as a whole against the per-job limit (BG_E_TOO_MANY_FILES_IN_JOB)
  // and, for an upload job, the one file it may hold (BG_E_TOO_MANY_FILES); the first refusal is
  // returned and the job is unchanged. E_INVALIDARG for an empty set.
  virtual Status AddFileSet(const JobId& job, const std::vector<FileToAdd>& files) = 0;

  // IBackgroundCopyJob3::AddFileWithRanges: adds a file of which only `ranges` are downloaded,
  // written one after another into the local file in the order given (bytes 100-199 and 900-999
  // of the remote file make a 200-byte local file); a length of kLengthToEof reads to the end. The
  // ranges are checked here: E_INVALIDARG for none, BG_E_INVALID_RANGE for an offset of
  // kLengthToEof, BG_E_OVERLAPPING_RANGES for two ranges sharing a byte or an offset,
  // BG_E_TOO_MANY_RANGES_IN_FILE over the MaxRangesPerFile policy (500); and against the remote
  // file when it is probed: a range past its end puts the job in ERROR with BG_E_INVALID_RANGE.
  // E_NOTIMPL for an upload job; E_INVALIDARG for a remote name that is not http(s) (ranges are
  // not offered over SMB since BITS 3.0), and SetRemoteName / ReplaceRemotePrefix keep such a file
  // on http(s) the same way; the rest as AddFile.
  virtual Status AddFileWithRanges(const JobId& job, const std::string& remote_url, const std::string& local_name,
                                   const std::vector<FileRange>& ranges) = 0;
  // IBackgroundCopyFile2::GetFileRanges for the file at `file_index`: its ranges as given
  // (kLengthToEof kept), none for a whole file. E_INVALIDARG for an index past the last file.
  virtual Result<std::vector<FileRange>> GetFileRanges(const JobId& job, std::size_t file_index) = 0;

  // IBackgroundCopyJob3::ReplaceRemotePrefix: every remote name of the job that starts with
  // `old_prefix` (compared case-sensitively) starts with `new_prefix` instead, typically a server
  // that moved. A file in flight goes on from the byte it holds when the new server's copy has the
  // same size and time stamp, else starts again; transferred files are not fetched again. S_FALSE
  // when no name matched; E_INVALIDARG for an empty prefix or a new name that is not a remote name
  // AddFile takes (nothing changes then); E_NOTIMPL for an upload job; E_ACCESSDENIED and
  // BG_E_INVALID_STATE as the Set* calls.
  virtual Status ReplaceRemotePrefix(const JobId& job, const std::string& old_prefix,
                                     const std::string& new_prefix) = 0;

  // IBackgroundCopyFile2::SetRemoteName for the file at `file_index` in GetFiles' order: the same
  // rules and effects as ReplaceRemotePrefix for one file (E_INVALIDARG also for an index past the
  // last file).
  virtual Status SetRemoteName(const JobId& job, std::size_t file_index, const std::string& remote_name) = 0;

  // IBackgroundCopyFile3::GetTemporaryName for the file at `file_index`: the full path of the
  // temporary file BITS downloads it into (BITxxxx.tmp beside the local name; it exists once bytes
  // arrived, and Complete renames it). E_INVALIDARG for an index past the last file.
  virtual Result<std::string> GetTemporaryName(const JobId& job, std::size_t file_index) = 0;

  // IBackgroundCopyFile3::SetValidationState: the program's verdict on a transferred file's
  // content. TRUE marks it valid (Complete does the same implicitly). FALSE for a file that came
  // from the origin server puts the job in ERROR with BG_E_VALIDATION_FAILED (context REMOTE_FILE,
  // the file's index) and sets the file's progress to 0, its temporary file deleted: Resume then
  // downloads it again. (The fake: should the queue then fail to save, the call says so, and the
  // job is in ERROR all the same.) E_PENDING until the file is transferred; E_INVALIDARG for an index past
  // the last file; E_ACCESSDENIED and BG_E_INVALID_STATE as the Set* calls.
  virtual Status SetValidationState(const JobId& job, std::size_t file_index, bool valid) = 0;
  // The state set (false for a new file, and again after an invalidation).
  virtual Result<bool> GetValidationState(const JobId& job, std::size_t file_index) = 0;
  // IBackgroundCopyFile3::IsDownloadedFromPeer: whether the content came from a peer's cache. The
  // fake has no peer caching: always false.
  virtual Result<bool> IsDownloadedFromPeer(const JobId& job, std::size_t file_index) = 0;

  // --- Properties (each setter returns BG_E_INVALID_STATE once the job is final) --------------

  // Sets the display name. BG_E_STRING_TOO_LONG over 256 UTF-16 units.
  virtual Status SetDisplayName(const JobId& job, const std::string& name) = 0;
  virtual Result<std::string> GetDisplayName(const JobId& job) = 0;

  // Sets the description (where the WMP convention lives). BG_E_STRING_TOO_LONG over 1,024 units.
  virtual Status SetDescription(const JobId& job, const std::string& description) = 0;
  virtual Result<std::string> GetDescription(const JobId& job) = 0;

  // Sets the priority. E_NOTIMPL for a value outside BG_JOB_PRIORITY.
  virtual Status SetPriority(const JobId& job, JobPriority priority) = 0;
  virtual Result<JobPriority> GetPriority(const JobId& job) = 0;

  // Sets the minimum delay before a transient error is retried, in seconds (default 600); values
  // below 5 are raised to 5 without an error.
  virtual Status SetMinimumRetryDelay(const JobId& job, std::uint32_t seconds) = 0;
  virtual Result<std::uint32_t> GetMinimumRetryDelay(const JobId& job) = 0;

  // Sets how long a job may go without progress after a transient error before it moves to ERROR,
  // in seconds (default 1,209,600 = 14 days; 0 makes every error fatal).
  virtual Status SetNoProgressTimeout(const JobId& job, std::uint32_t seconds) = 0;
  virtual Result<std::uint32_t> GetNoProgressTimeout(const JobId& job) = 0;

  // The longest the job may spend CONNECTING or TRANSFERRING, in seconds (IBackgroundCopyJob4,
  // BITS 3.0): time QUEUED, in TRANSIENT_ERROR or suspended does not count, and Resume sets the
  // count back to zero. When it runs out the job goes to ERROR with BG_E_MAXDOWNLOAD_TIMEOUT.
  // Any value is accepted (0: the job fails the moment it starts connecting); overrides the
  // MaxDownloadTime group policy. BG_E_INVALID_STATE when the job is final.
  virtual Status SetMaximumDownloadTime(const JobId& job, std::uint32_t seconds) = 0;
  // The limit as set; 7,776,000 (90 days) for a new job.
  virtual Result<std::uint32_t> GetMaximumDownloadTime(const JobId& job) = 0;

  virtual Result<JobType> GetType(const JobId& job) = 0;

  // The owner's account name (a SID string on Windows; the simulated user name in the fake).
  virtual Result<std::string> GetOwner(const JobId& job) = 0;

  // Makes the caller the job's owner. E_ACCESSDENIED unless the caller is an administrator;
  // BG_E_INVALID_STATE when the job is final.
  virtual Status TakeOwnership(const JobId& job) = 0;

  // --- Proxy (IBackgroundCopyJob) ----------------------------------------------------------

  // Sets which proxy the job's HTTP requests go through: PRECONFIG (the default) and AUTODETECT
  // use the user's proxy settings (in the fake, FakeOptions::user_proxy), NO_PROXY goes direct,
  // OVERRIDE uses the job's proxy list, except for hosts its bypass list names. Lists are checked
  // when they are used, not here: an OVERRIDE list that names no usable proxy, or an entry that
  // cannot be read, puts the job in ERROR with BG_E_INVALID_PROXY_INFO (the SetProxySettings
  // page). E_NOTIMPL for a usage outside BG_JOB_PROXY_USAGE; E_INVALIDARG for OVERRIDE without a
  // proxy list, or a list with another usage; BG_E_PROXY_LIST_TOO_LARGE /
  // BG_E_PROXY_BYPASS_LIST_TOO_LARGE over 32 KB (16,383 UTF-16 units); E_ACCESSDENIED and
  // BG_E_INVALID_STATE as the Set* calls. Sources that are not HTTP never use a proxy.
  virtual Status SetProxySettings(const JobId& job, const ProxySettings& settings) = 0;
  // The settings as set: PRECONFIG without lists for a new job.
  virtual Result<ProxySettings> GetProxySettings(const JobId& job) = 0;

  // --- Credentials (IBackgroundCopyJob2, BITS 1.5) ------------------------------------------

  // Gives the job credentials for one (target, scheme) pair, replacing any it had for the pair.
  // BITS offers them only when the server (or proxy) asks, with a 401 (407); a job asked for
  // credentials it does not have, or whose credentials are refused, goes to ERROR with
  // BG_E_HTTP_ERROR_401 (407). There is no way to read them back. BG_E_INVALID_AUTH_TARGET /
  // BG_E_INVALID_AUTH_SCHEME for a value outside the enumeration; E_INVALIDARG for Basic or Digest
  // without a user name or password; BG_E_USERNAME_TOO_LARGE over 300 UTF-16 units,
  // BG_E_PASSWORD_TOO_LARGE over 65,535; E_ACCESSDENIED and BG_E_INVALID_STATE as the Set* calls.
  // TakeOwnership removes them.
  virtual Status SetCredentials(const JobId& job, const AuthCredentials& credentials) = 0;
  // Removes the credentials of one pair; S_FALSE when the job had none for it.
  virtual Status RemoveCredentials(const JobId& job, AuthTarget target, AuthScheme scheme) = 0;

  // --- HTTP options (IBackgroundCopyJobHttpOptions, BITS 2.5) --------------------------------

  // Sets the extra request headers sent with every HTTP request of the job (HEAD, each GET, after
  // each redirect): "Name: value" lines, each ending in CR LF as the SetCustomHeaders page asks (a
  // last line without one is taken as if it had it). nullopt or "" removes them. Not used for
  // sources that are not HTTP. BG_E_STRING_TOO_LONG over 16,383 UTF-16 units (16,384 with the
  // terminator); E_INVALIDARG for a line that is not "Name: value" (a decision: BITS would fail the
  // requests instead, docs/decisions.md); E_ACCESSDENIED for a caller who is neither the owner nor
  // an administrator; BG_E_INVALID_STATE when the job is final. TakeOwnership removes them.
  virtual Status SetCustomHeaders(const JobId& job, const std::optional<std::string>& headers) = 0;
  // The headers exactly as set, or nullopt when there are none (S_FALSE with NULL in COM).
  virtual Result<std::optional<std::string>> GetCustomHeaders(const JobId& job) = 0;

  // Sets the HTTP security flags (job_types.h, security_flags): the BG_SSL_* certificate flags
  // (they apply to https only), the redirect policy (ALLOW_SILENT, the default: follow and keep the
  // remote name; ALLOW_REPORT: follow and change the remote name to the final URL; DISALLOW: the
  // first redirect puts the job in ERROR with HRESULT_FROM_WIN32 of the redirect status, and the
  // remote name becomes the redirect's target) and ALLOW_HTTPS_TO_HTTP. E_NOTIMPL for any other
  // bit or policy value; E_ACCESSDENIED and BG_E_INVALID_STATE as SetCustomHeaders.
  virtual Status SetSecurityFlags(const JobId& job, std::uint32_t flags) = 0;
  // The flags as set; 0 for a new job.
  virtual Result<std::uint32_t> GetSecurityFlags(const JobId& job) = 0;

  // --- Job properties (IBackgroundCopyJob5, BITS 5.0) ---------------------------------------

  // Sets one property (JobPropertyId; the value's member the id names). BG_E_UNKNOWN_PROPERTY_ID
  // for an id outside the enumeration; BG_E_INVALID_STATE when the job is final;
  // BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY for DYNAMIC_CONTENT, HIGH_PERFORMANCE,
  // MAX_DOWNLOAD_SIZE and ON_DEMAND_MODE on another job type; BG_E_READ_ONLY_PROPERTY_AFTER_ADDFILE
  // for HIGH_PERFORMANCE once the job has a file; BG_E_READ_ONLY_PROPERTY_AFTER_RESUME for
  // DYNAMIC_CONTENT and MAX_DOWNLOAD_SIZE once Resume has succeeded.
  //  - COST_FLAGS (any DWORD; cost_states in job_types.h) takes effect at once, also during a
  //    transfer: a job whose policy does not allow the network's present cost waits in
  //    TRANSIENT_ERROR with BG_E_BLOCKED_BY_COST_TRANSFER_POLICY until it does.
  //  - NOTIFICATION_CLSID: a braced GUID (E_INVALIDARG otherwise); GUID_NULL clears it. A job with
  //    no callback interface reports to an object of that class; one that cannot be activated
  //    (REGDB_E_CLASSNOTREG) is a failed notice.
  //  - HIGH_PERFORMANCE: files download straight into their local names; Cancel leaves partial
  //    content; progress is not kept across a service restart (the job starts again from byte 0).
  //  - MAX_DOWNLOAD_SIZE: bytes, 1 or more (BG_E_MAX_DOWNLOAD_SIZE_INVALID_VALUE for 0). A job that
  //    has the cap's worth of bytes and wants more goes to ERROR with
  //    BG_E_MAX_DOWNLOAD_SIZE_LIMIT_REACHED.
  //  - USE_STORED_CREDENTIALS: BG_AUTH_TARGET_PROXY only (BG_E_USE_STORED_CREDENTIALS_NOT_SUPPORTED
  //    for another target, so once set it stays set): a proxy's challenge is answered with the
  //    owner's stored credentials when the job has no proxy credentials of its own.
  //  - MINIMUM_NOTIFICATION_INTERVAL_MS spaces the job's JobModification calls.
  //  - DYNAMIC_CONTENT (E_INVALIDARG with a ranged file): no HEAD and no Range; the size comes from
  //    the GET's Content-Length or where its body ends; any interruption starts the file again
  //    from byte 0.
  //  - ON_DEMAND_MODE (E_INVALIDARG on a dynamic job) takes FALSE; TRUE is E_NOTIMPL on the fake,
  //    which cannot take the ranges such a job waits for (IBackgroundCopyFile6 is not part of
  //    Backend) and does not accept a setting it would ignore (docs/decisions.md, "ON_DEMAND_MODE").
  virtual Status SetJobProperty(const JobId& job, JobPropertyId id, const JobPropertyValue& value) = 0;
  // The property as set, or its default: COST_FLAGS cost_states::kDefaultPolicy, NOTIFICATION_CLSID
  // GUID_NULL, the Enable properties FALSE, MAX_DOWNLOAD_SIZE UINT64_MAX (no cap),
  // USE_STORED_CREDENTIALS target 0 (none), the interval 500 (the fake's
  // FakeOptions::minimum_notification_interval). BG_E_UNKNOWN_PROPERTY_ID as SetJobProperty.
  virtual Result<JobPropertyValue> GetJobProperty(const JobId& job, JobPropertyId id) = 0;

  // --- Notifications (IBackgroundCopyJob, IBackgroundCopyJob2) -------------------------------
  // docs/decisions.md, "Notifications", says when each event fires on the fake and why.

  // Chooses the events the job reports (notify_flags in job_types.h); kDisable silences all of them
  // whatever else is set. E_NOTIMPL for a bit outside the six documented; BG_E_INVALID_STATE when
  // the job is final. Setting flags that cover the job's present state (TRANSFERRED, ERROR) while
  // a callback or command line is registered reports that state (at least once, as BITS promises).
  virtual Status SetNotifyFlags(const JobId& job, std::uint32_t flags) = 0;
  // The flags as set; notify_flags::kDefault (TRANSFERRED | ERROR) for a new job.
  virtual Result<std::uint32_t> GetNotifyFlags(const JobId& job) = 0;

  // Registers the job's callback (backend/job_callback.h), replacing any earlier one: the last
  // caller wins, whichever program it is. nullptr removes it. The job keeps a reference until it is
  // replaced, removed or the job ends; it is not persisted (a service restart forgets it, as BITS
  // forgets interface pointers), so programs register again when they start. Registering on a job
  // already TRANSFERRED or in ERROR reports that state at once (BITS's at-least-once delivery;
  // Wine's BITS does not, docs/fidelity.md).
  // BG_E_INVALID_STATE when the job is final.
  virtual Status SetNotifyInterface(const JobId& job, std::shared_ptr<JobCallback> callback) = 0;
  // The callback the job holds; nullptr when there is none. The real backend hands back only a
  // callback it registered itself (another program's is a COM object, not a JobCallback): nullptr
  // for any other. The fake, one process, hands back whichever connection's it is.
  virtual Result<std::shared_ptr<JobCallback>> GetNotifyInterface(const JobId& job) = 0;

  // Sets the program started when the job becomes TRANSFERRED or ERROR (flags kJobTransferred,
  // kJobError; the others do not apply) and no callback is registered, or when a callback failed;
  // it is started again after the retry delay while it exits non-zero and the job is neither
  // completed nor cancelled. Both nullopt removes it. Setting one while the job is TRANSFERRED or
  // in ERROR reports that state (again, to the callback if there is one: at least once). E_INVALIDARG for parameters without a
  // program; BG_E_STRING_TOO_LONG over 260 (program) or 4,000 (parameters) UTF-16 units;
  // BG_E_INVALID_STATE when the job is final. The fake starts nothing itself: the event log shows
  // the command line, and a launcher given in FakeOptions runs it (fake/fake_options.h).
  virtual Status SetNotifyCmdLine(const JobId& job, const NotifyCommandLine& command_line) = 0;
  // The command line as set; "" for each part never set or removed.
  virtual Result<NotifyCommandLine> GetNotifyCmdLine(const JobId& job) = 0;

  // --- Control -----------------------------------------------------------------------------

  // Queues the job for transfer (or retries it at once from ERROR / TRANSIENT_ERROR).
  // BG_E_EMPTY when it has no files (it stays SUSPENDED); BG_E_INVALID_STATE when final.
  virtual Status Resume(const JobId& job) = 0;

  // Stops the job (SUSPENDED) until Resume. BG_E_INVALID_STATE when final.
  virtual Status Suspend(const JobId& job) = 0;

  // Deletes all temporary files and ends the job (CANCELLED); BG_S_UNABLE_TO_DELETE_FILES when some
  // could not be deleted. BG_E_INVALID_STATE when final.
  virtual Status Cancel(const JobId& job) = 0;

  // Renames each fully transferred file from its temporary name to its local name and ends the job
  // (ACKNOWLEDGED); BG_S_PARTIAL_COMPLETE when some files were not finished (their temporary files
  // are deleted). BG_E_INVALID_STATE when final, or for upload jobs not yet TRANSFERRED.
  virtual Status Complete(const JobId& job) = 0;

  // --- Observation -------------------------------------------------------------------------

  virtual Result<JobState> GetState(const JobId& job) = 0;
  virtual Result<JobProgress> GetProgress(const JobId& job) = 0;
  virtual Result<JobTimes> GetTimes(const JobId& job) = 0;

  // The current error. BG_E_ERROR_INFORMATION_UNAVAILABLE unless the job is in ERROR or
  // TRANSIENT_ERROR (or was, and has not transferred since); always for a job that ended.
  virtual Result<JobError> GetError(const JobId& job) = 0;

  // How many times the job entered an error state (never reset).
  virtual Result<std::uint32_t> GetErrorCount(const JobId& job) = 0;
};

}  // namespace bitsh
