// FakeBitsService: the transfer engine. Internal transitions of spec §2.3 (T1-T13, T16), the
// scheduling rule of §2.7, retries and the no-progress timeout of §2.1, all in virtual time.
// Every state change goes through SetState with its cause, and so through the cause table
// (NextState in fake/job_state_machine.h).
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "backend/error_class.h"
#include "content/hashing.h"
#include "fake/custom_headers.h"
#include "fake/fake_job.h"
#include "fake/dispatch_scratch.h"
#include "fake/fake_service.h"
#include "fake/file_ranges.h"
#include "fake/job_state_machine.h"
#include "fake/job_table.h"
#include "fake/local_disk.h"
#include "fake/proxy_route.h"
#include "fake/remote_name.h"
#include "fake/scheduler.h"

namespace bitsh::fake {
namespace {

// The job's custom headers as fields; the text was checked when it was set (or loaded).
HeaderFields HeadersOf(const FakeJob& job) {
  if (!job.custom_headers) return {};
  Result<HeaderFields> fields = ParseCustomHeaders(*job.custom_headers);
  return fields.ok() ? *fields : HeaderFields{};
}

// What answers a Basic challenge from the server (401) or the proxy (407): the job's credentials
// for that target and the Basic scheme.
std::optional<BasicCredentials> BasicOf(const FakeJob& job, AuthTarget target) {
  for (const AuthCredentials& credentials : job.credentials) {
    if (credentials.target == target && credentials.scheme == AuthScheme::kBasic) {
      return BasicCredentials{credentials.user_name.value_or(""), credentials.password.value_or("")};
    }
  }
  return std::nullopt;
}

std::optional<BasicCredentials> ServerBasicOf(const FakeJob& job) { return BasicOf(job, AuthTarget::kServer); }

// The proxy a request for `url` goes through under the job's proxy settings (none for sources
// that are not HTTP). A list that cannot be used is BG_E_INVALID_PROXY_INFO, fatal: "the job
// transitions to the BG_JOB_STATE_ERROR state" (the SetProxySettings page).
Result<std::optional<ProxyRoute>> ProxyOf(const FakeJob& job, const FakeOptions& options, const std::string& url) {
  if (FormOfRemoteName(url) != RemoteNameForm::kHttp) return std::optional<ProxyRoute>();
  Result<std::optional<ProxyEndpoint>> endpoint = RouteFor(job.proxy, options.user_proxy, url);
  if (!endpoint.ok()) return endpoint.status();
  if (!*endpoint) return std::optional<ProxyRoute>();
  std::optional<BasicCredentials> basic = BasicOf(job, AuthTarget::kProxy);
  const bool own = std::ranges::any_of(job.credentials, [](const AuthCredentials& c) { return c.target == AuthTarget::kProxy; });
  if (!own && job.use_stored_proxy_credentials) {  // the owner's stored credentials, if any
    if (auto stored = options.stored_credentials.find(job.owner); stored != options.stored_credentials.end()) {
      basic = stored->second;
    }
  }
  return std::optional<ProxyRoute>(ProxyRoute{(*endpoint)->host, (*endpoint)->port, std::move(basic)});
}

TransferError InvalidProxyInfo(const FakeJob& job, const Status& why) {
  return {hr::kInvalidProxyInfo, ErrorContext::kGeneralTransport,
          "job " + job.id.ToString() + " (proxy usage " + std::string(ToString(job.proxy.usage)) + "): " + why.message()};
}

RedirectPolicy RedirectsOf(const FakeJob& job) {
  return (job.security_flags & security_flags::kRedirectPolicyMask) == security_flags::kRedirectDisallow
             ? RedirectPolicy::kRefuse
             : RedirectPolicy::kFollow;
}

std::uint64_t SizeOnDisk(const std::string& path) {
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  return error ? 0 : static_cast<std::uint64_t>(size);
}

TransferError MaxDownloadSizeReached(const FakeJob& job, const FakeFile& file) {
  return {hr::kMaxDownloadSizeLimitReached, ErrorContext::kRemoteFile,
          "job " + job.id.ToString() + " reached its maximum download size of " +
              std::to_string(*job.max_download_size) + " bytes in " + file.remote_url};
}

// Bytes the job holds, all files together (what MAX_DOWNLOAD_SIZE caps).
std::uint64_t BytesTransferred(const FakeJob& job) {
  std::uint64_t total = 0;
  for (const FakeFile& file : job.files) total += file.bytes_transferred;
  return total;
}

// A DYNAMIC_CONTENT job's HTTP file: no HEAD, no Range, its size learnt from the GET. A file
// source (file:// or UNC) has a size whatever the job says, and is copied as usual.
bool IsDynamic(const FakeJob& job, const FakeFile& file) {
  return job.dynamic_content && FormOfRemoteName(file.remote_url) == RemoteNameForm::kHttp;
}

bool IsRunning(JobState state) {
  return state == JobState::kConnecting || state == JobState::kTransferring;
}

void AppendSeconds(std::string& text, std::uint32_t seconds) {
  char digits[16];
  text.append(digits, std::to_chars(digits, digits + sizeof digits, seconds).ptr).append("s");
}

std::string Seconds(std::uint32_t seconds) {
  std::string text;
  AppendSeconds(text, seconds);
  return text;
}

}  // namespace

void FakeBitsService::SetState(FakeJob& job, TransitionCause cause, std::string_view why) {
  const JobState from = job.state;
  const std::optional<JobState> next = NextState(from, cause);
  if (!next) {
    RefuseStateChange(job, cause);
    return;
  }
  const JobState state = *next;
  if (state == from) return;  // a row that changes nothing (Suspend on a suspended job)
  job.state = state;
  job.modified = WallNow();
  job.touched = Now();
  if (state == JobState::kTransferring) job.error.reset();  // G5: the error lasts until this point
  if (state == JobState::kTransferred) job.transfer_completed = WallNow();
  // Written on every state change of every job: built in memory the service keeps (no allocation
  // once it is large enough), and copied into the log's line.
  std::string& detail = log_line_;
  detail.assign(ToString(from)).append(" -> ").append(ToString(state));
  if (!why.empty()) detail.append(" (").append(why).append(")");
  log_.Add(Now(), job.IdText(), job.log_track, "state", detail, state);
  Reindex(job, from);
  if (!IsRunning(state)) StopDownloadClock(job);  // also drops a kept timer of a job that will not run by itself
  if (!IsRunning(from) && IsRunning(state)) StartDownloadClock(job);
  NoteStateEntered(job);
  MarkChanged(job);
  // A program's call (Resume, Suspend, Cancel, Complete) writes its change before it returns; the
  // engine's own changes are written as the run returns (SaveChanges). A failed write is in the
  // event log; the call still succeeds, as it did before the journal: a state change made cannot
  // be taken back (the next write retries, with the whole snapshot).
  const bool program_call = cause == TransitionCause::kResume || cause == TransitionCause::kSuspend ||
                            cause == TransitionCause::kCancel || cause == TransitionCause::kComplete;
  if (program_call) static_cast<void>(PersistChanges(/*durable=*/true));
}

void FakeBitsService::RefuseStateChange(FakeJob& job, TransitionCause cause) {
  // A bug of the engine, not of the program under test: the table has no such change. Not made;
  // recorded, and the service refuses every call from now on, so that no test passes over it
  // (docs/decisions.md, "The engine's state changes").
  const std::string what = "fake engine bug: job " + job.id.ToString() + " in " + std::string(ToString(job.state)) +
                           ": no state change for cause " + std::string(ToString(cause)) + "; state kept";
  log_.Add(Now(), job.id.ToString(), "bug", what);
  if (engine_status_.ok()) engine_status_ = Status(hr::kFail, what);
}

void FakeBitsService::Reindex(FakeJob& job, JobState previous) {
  if (job.queue_key) {
    QueuedIndex::node_type node = queued_.extract(*job.queue_key);
    if (node && spare_queued_nodes_.size() < kSpareQueuedNodes) spare_queued_nodes_.push_back(std::move(node));
  }
  job.queue_key.reset();
  if (job.state == JobState::kQueued) {
    job.queue_key = std::make_tuple(static_cast<std::uint32_t>(job.priority), job.turn, job.id);
    if (spare_queued_nodes_.empty()) {
      queued_.insert(*job.queue_key);
    } else {
      QueuedIndex::node_type node = std::move(spare_queued_nodes_.back());
      spare_queued_nodes_.pop_back();
      node.value() = *job.queue_key;
      queued_.insert(std::move(node));
    }
  }
  const auto place = std::lower_bound(running_.begin(), running_.end(), job.id);
  const bool listed = place != running_.end() && *place == job.id;
  if (IsRunning(job.state) && !listed) running_.insert(place, job.id);
  if (!IsRunning(job.state) && listed) running_.erase(place);
  if (IsFinal(job.state) && !IsFinal(previous)) {
    --live_jobs_;
    --live_jobs_per_user_[job.owner];
  }
}

void FakeBitsService::RebuildIndexes() {
  queued_.clear();
  running_.clear();
  live_jobs_per_user_.clear();
  live_jobs_ = 0;
  for (auto& [id, job] : jobs_->InIdOrder()) {
    job->queue_key.reset();
    Reindex(*job, JobState::kAcknowledged);  // "from a final state": counts nothing as ending
    if (!IsFinal(job->state)) {
      ++live_jobs_;
      ++live_jobs_per_user_[job->owner];
    }
  }
}

bool FakeBitsService::CostAllows(const FakeJob& job) const {
  return cost_states::Allows(job.cost_flags, network_cost_, network_congested_);
}

std::optional<HResult> FakeBitsService::HoldOf(const FakeJob& job) const {
  // T14: MaxInternetBandwidth 0 blocks background jobs; foreground jobs are never limited by it.
  if (options_.max_internet_bandwidth == 0u && job.priority != JobPriority::kForeground) return hr::kBlockedByPolicy;
  if (!CostAllows(job)) return hr::kBlockedByCostTransferPolicy;  // T15
  return std::nullopt;
}

bool FakeBitsService::IsHeld(const FakeJob& job) const {
  return job.state == JobState::kTransientError && job.error &&
         (job.error->code == hr::kBlockedByCostTransferPolicy || job.error->code == hr::kBlockedByPolicy);
}

void FakeBitsService::ApplyHolds(FakeJob& job) {
  const std::optional<HResult> hold = HoldOf(job);
  if (IsHeld(job) && hold != job.error->code) {
    // Over (or another reason holds it now, which Dispatch finds when its turn comes). G6: the time
    // held does not count towards the no-progress timeout.
    if (job.no_progress_since && job.held_since) *job.no_progress_since += Now() - *job.held_since;
    job.held_since.reset();
    job.turn = next_turn_++;  // joins the back of its priority's line, as a retry does (G13)
    SetState(job, TransitionCause::kHoldOver, hold ? "held for another reason now" : "allowed to transfer again");
    if (job.no_progress_since) ScheduleDeadline(job);
    ScheduleDispatch();
    return;
  }
  if (!IsActive(job.state) || !hold) return;
  // Held, not failed: no error counted, no retry timer, no no-progress clock (G6), as for a lost network.
  Interrupt(job);
  CancelTimers(job);
  job.held_since = Now();
  job.error = JobError{ErrorContext::kGeneralTransport, *hold, std::nullopt, ""};  // no transfer involved
  std::string why = "MaxInternetBandwidth policy is 0";
  if (*hold == hr::kBlockedByCostTransferPolicy) {
    char cost[16];
    std::snprintf(cost, sizeof cost, "0x%02X", network_cost_);
    why = std::string("network cost ") + cost + (network_congested_ ? ", congested" : "") + " not allowed by its transfer policy";
  }
  Log(job, "held", HResultName(*hold) + " " + why);
  SetState(job, TransitionCause::kHeld, why);
  ScheduleDispatch();
}

void FakeBitsService::SetMaxInternetBandwidth(std::optional<std::uint64_t> bytes_per_s) {
  if (bytes_per_s == options_.max_internet_bandwidth) return;
  options_.max_internet_bandwidth = bytes_per_s;
  log_.Add(Now(), "-", "policy", "MaxInternetBandwidth " + (bytes_per_s ? std::to_string(*bytes_per_s) + " B/s" : "not configured"));
  for (auto& [id, job] : jobs_->InIdOrder()) ApplyHolds(*job);
}

void FakeBitsService::SetNetworkCost(std::uint32_t cost, bool congested) {
  if (cost == network_cost_ && congested == network_congested_) return;
  network_cost_ = cost;
  network_congested_ = congested;
  char text[48];
  std::snprintf(text, sizeof text, "cost 0x%02X%s", cost, congested ? ", congested" : "");
  log_.Add(Now(), "-", "network", text);
  for (auto& [id, job] : jobs_->InIdOrder()) ApplyHolds(*job);
}

bool FakeBitsService::MayTransfer(const FakeJob& job) const {
  if (!network_available_ || !IsActive(job.state) || job.type != JobType::kDownload || HoldOf(job)) return false;
  auto owner = users_.find(job.owner);
  return owner != users_.end() && owner->second.logged_on;
}

void FakeBitsService::ScheduleDispatch() {
  if (dispatch_event_ != 0) return;  // one pending dispatch serves every change made until it runs
  dispatch_event_ = events_.ScheduleAfter(Duration::zero(), [this] {
    dispatch_event_ = 0;
    Dispatch();
  });
}

void FakeBitsService::Dispatch() {
  // The decision needs the running jobs, every eligible foreground job and the first eligible
  // background job in (priority, turn) order; the queued index yields them in that order.
  std::vector<FakeJob*>& eligible = dispatch_scratch_->eligible;
  std::vector<SchedulingCandidate>& candidates = dispatch_scratch_->candidates;
  std::vector<FakeJob*>& held = dispatch_scratch_->held;  // queued, but a hold applies (HoldOf): they wait in TRANSIENT_ERROR
  eligible.clear();
  candidates.clear();
  held.clear();
  const auto consider = [&](FakeJob& job) {
    candidates.push_back({eligible.size(), job.priority, job.turn, IsRunning(job.state)});
    eligible.push_back(&job);
  };
  for (const JobId& id : running_) {
    FakeJob& job = JobAt(id);
    if (MayTransfer(job)) consider(job);
  }
  // While the network costs something or a policy blocks, every queued job is looked at, so that a
  // held job shows as held at once; otherwise the loop stops at the first background job it starts.
  const bool holds_possible = network_cost_ != cost_states::kUnrestricted || network_congested_ ||
                              options_.max_internet_bandwidth == 0u;
  for (const auto& [priority, turn, id] : queued_) {
    FakeJob& job = JobAt(id);
    if (HoldOf(job)) held.push_back(&job);
    if (!MayTransfer(job)) continue;
    consider(job);
    if (job.priority != JobPriority::kForeground && !holds_possible) break;  // else: find every held job now
  }
  for (FakeJob* job : held) ApplyHolds(*job);  // after the loop: it changes the queued index
  SchedulingDecision& decision = dispatch_scratch_->decision;
  DecideSchedule(candidates, decision);
  for (std::size_t index : decision.preempt) {
    Interrupt(*eligible[index]);
    SetState(*eligible[index], TransitionCause::kPreempted, "preempted by a higher priority");
  }
  for (std::size_t index : decision.start) StartJob(*eligible[index]);
}

void FakeBitsService::StartJob(FakeJob& job) {
  SetState(job, TransitionCause::kScheduled);
  job.slice_start = Now();
  const JobId id = job.id;
  job.step_event = events_.ScheduleAfter(options_.request_latency, [this, id] {
    FakeJob& started = JobAt(id);
    started.step_event = 0;
    Connect(started);
  });
}

void FakeBitsService::Connect(FakeJob& job) {
  const std::size_t index = job.current_file();
  Duration delay = Duration::zero();
  if (index < job.files.size() && IsDynamic(job, job.files[index])) {
    StartDynamicFile(job, index);
  } else if (index < job.files.size() && job.files[index].remote_version.empty()) {
    FakeFile& file = job.files[index];
    Result<std::optional<ProxyRoute>> proxy = ProxyOf(job, options_, file.remote_url);
    if (!proxy.ok()) {
      FailJob(job, InvalidProxyInfo(job, proxy.status()));
      return;
    }
    ProbeRequest& request = probe_request_;  // kept: its URL's memory serves the next probe (a retry's)
    request.url.assign(file.remote_url);
    request.headers = HeadersOf(job);
    request.redirects = RedirectsOf(job);
    request.server_basic = ServerBasicOf(job);
    request.proxy = std::move(*proxy);
    ProbeResult probe = SourceOf(file.remote_url).Probe(request);
    TakeRedirect(job, index, probe.redirected_to);
    if (probe.error.ok() && probe.info.size == kSizeUnknown) {
      probe.error = {hr::kMissingFileSize, ErrorContext::kRemoteFile, file.remote_url + " has no size"};
    }
    if (!probe.error.ok() && probe.delay > Duration::zero()) {
      // The failure took time to show (a connection never answered): the job stays CONNECTING.
      const JobId id = job.id;
      job.step_event = events_.ScheduleAfter(probe.delay, [this, id, error = probe.error] {
        FakeJob& waited = JobAt(id);
        waited.step_event = 0;
        FailJob(waited, error);
      });
      return;
    }
    if (!probe.error.ok()) {
      FailJob(job, probe.error);
      return;
    }
    std::uint64_t local_size = probe.info.size;
    if (!file.ranges.empty()) {  // AddFileWithRanges: the local file is the ranges, one after another
      Result<std::uint64_t> size = RangedSize(file.ranges, probe.info.size);
      if (!size.ok()) {  // the file stays unprobed: its size is not known to be anything
        FailJob(job, {hr::kInvalidRange, ErrorContext::kRemoteFile, file.remote_url + ": " + size.status().message()});
        return;
      }
      local_size = *size;
    }
    if (job.high_performance && file.bytes_transferred == 0) {
      // Written in place: what the local file held (an older copy, or bytes a restart did not
      // keep) is not this download's.
      std::error_code ignored;
      if (std::filesystem::exists(file.temp_name, ignored)) std::filesystem::resize_file(file.temp_name, 0, ignored);
    }
    file.remote_size = probe.info.size;
    file.bytes_total = local_size;
    file.remote_version = probe.info.version;
    delay = probe.delay;
    Log(job, "probe", "#" + std::to_string(index) + " size " + std::to_string(file.bytes_total));
  }
  SetState(job, TransitionCause::kConnected);
  if (delay == Duration::zero()) {
    StartStep(job);
    return;
  }
  const JobId id = job.id;  // the server stalled its answer
  job.step_event = events_.ScheduleAfter(delay, [this, id] {
    FakeJob& stalled = JobAt(id);
    stalled.step_event = 0;
    StartStep(stalled);
  });
}

void FakeBitsService::StartDynamicFile(FakeJob& job, std::size_t index) {
  // DYNAMIC_CONTENT: no HEAD, and no way to resume: "If a job with this property enabled is
  // interrupted for any reason ... BITS will restart the download from the beginning" (the
  // BITS_JOB_PROPERTY_ID page). Every connection of the job starts its current file again.
  FakeFile& file = job.files[index];
  ReleaseStream(job, index);
  if (file.bytes_transferred > 0) {
    Log(job, "restart", "#" + std::to_string(index) + " dynamic content: from byte 0 again, " +
                            std::to_string(file.bytes_transferred) + " bytes dropped");
  }
  std::error_code ignored;
  if (std::filesystem::exists(file.temp_name, ignored)) std::filesystem::resize_file(file.temp_name, 0, ignored);
  file.bytes_transferred = 0;
  file.bytes_total = kSizeUnknown;  // until the GET says, or its body ends
  file.remote_version = kDynamicVersion;
}

void FakeBitsService::TakeRedirect(FakeJob& job, std::size_t file_index, const std::string& redirected_to) {
  // ALLOW_SILENT keeps the remote name; ALLOW_REPORT takes the final URL, DISALLOW the refused
  // target (the SetSecurityFlags page).
  const std::uint32_t policy = job.security_flags & security_flags::kRedirectPolicyMask;
  if (redirected_to.empty() || policy == security_flags::kRedirectAllowSilent) return;
  FakeFile& file = job.files[file_index];
  if (file.remote_url == redirected_to) return;
  Log(job, "redirect", "#" + std::to_string(file_index) + " remote name " + file.remote_url + " -> " + redirected_to);
  file.remote_url = redirected_to;
  MarkChanged(job);  // written as the run returns (SaveChanges)
}

Transport& FakeBitsService::SourceOf(const std::string& remote_url) {
  return FormOfRemoteName(remote_url) == RemoteNameForm::kHttp ? transport_ : *local_sources_;
}

void FakeBitsService::ReleaseStream(const FakeJob& job, std::size_t file_index) {
  if (file_index >= job.files.size()) return;
  SourceOf(job.files[file_index].remote_url).Release(job.StreamKey(file_index));
}

void FakeBitsService::StartStep(FakeJob& job) {
  const std::size_t index = job.current_file();
  if (index == job.files.size()) {
    SetState(job, TransitionCause::kAllFilesTransferred);
    ScheduleDispatch();
    return;
  }
  FakeFile& file = job.files[index];
  if (file.remote_version.empty()) {  // the next file of the job: probe it first (another request)
    Connect(job);
    return;
  }
  // Resume from the bytes actually in the temporary file, not from what we believe we wrote.
  const std::uint64_t on_disk = SizeOnDisk(file.temp_name);
  if (on_disk != file.bytes_transferred) {
    Log(job, "resume", "#" + std::to_string(index) + " temp file holds " + std::to_string(on_disk) +
                           " bytes, progress said " + std::to_string(file.bytes_transferred));
    file.bytes_transferred = std::min(on_disk, file.bytes_total);
    if (on_disk > file.bytes_total) std::filesystem::resize_file(file.temp_name, file.bytes_total);
  }
  FetchResult result;
  Duration cost = Duration::zero();
  if (!file.done()) {
    Result<std::optional<ProxyRoute>> proxy = ProxyOf(job, options_, file.remote_url);
    if (!proxy.ok()) {  // the settings changed since the probe
      FailJob(job, InvalidProxyInfo(job, proxy.status()));
      return;
    }
    FetchRequest request;
    request.proxy = *proxy;
    request.url = file.remote_url;
    request.offset = file.bytes_transferred;
    request.max_bytes = std::min(options_.chunk_bytes, file.bytes_total - file.bytes_transferred);
    if (job.max_download_size) {  // MAX_DOWNLOAD_SIZE: bytes are counted as they arrive, up to the cap
      const std::uint64_t downloaded = BytesTransferred(job);
      const std::uint64_t cap = *job.max_download_size;
      const bool size_known = file.bytes_total != kSizeUnknown;
      if (size_known && downloaded >= cap) {
        FailJob(job, MaxDownloadSizeReached(job, file));
        return;
      }
      // A file of unknown size is asked for one byte past the cap: only asking tells whether its
      // body ends there. FinishStep keeps no byte past the cap.
      const std::uint64_t left = downloaded >= cap ? 0 : cap - downloaded;
      request.max_bytes = std::min(request.max_bytes, size_known ? left : left + 1);
    }
    if (!file.ranges.empty()) {
      // The local byte's place in the remote file; a piece never crosses the end of its range,
      // and the request names that end ("Range: bytes=N-M").
      const RangePosition position = PositionOf(file.ranges, file.remote_size, file.bytes_transferred);
      request.offset = position.remote_offset;
      request.max_bytes = std::min<std::uint64_t>(request.max_bytes, position.left_in_range);
      request.last_byte = position.remote_offset + position.left_in_range - 1;
    }
    request.expected_version = file.remote_version;
    request.stream_key = job.StreamKey(job.current_file());
    request.headers = HeadersOf(job);
    request.redirects = RedirectsOf(job);
    request.server_basic = ServerBasicOf(job);
    request.dynamic = IsDynamic(job, file);
    request.accept_whole_body =
        request.dynamic || (job.priority == JobPriority::kForeground && request.offset == 0 && file.ranges.empty());
    LocalFileSink sink(disk_, file.temp_name);
    result = SourceOf(file.remote_url).Fetch(request, sink);
    job.bytes_in_flight = result.bytes;
    cost = (result.new_request ? options_.request_latency : Duration::zero()) + result.delay;
    const std::uint64_t bandwidth = options_.bandwidth_bytes_per_s;
    // MaxInternetBandwidth caps what a background job may use (0 holds it instead: HoldOf).
    // "BITS also cannot throttle bandwidth usage for dynamic downloads" (the BITS_JOB_PROPERTY_ID page).
    const std::uint64_t policy_cap = job.priority != JobPriority::kForeground && !request.dynamic &&
                                             options_.max_internet_bandwidth
                                         ? *options_.max_internet_bandwidth
                                         : 0;
    const std::uint64_t pace = result.rate_bytes_per_s;  // a dribbling server's own rate
    if (bandwidth > 0 || policy_cap > 0 || pace > 0) {
      // Integer nanoseconds (whole seconds first, so large chunks cannot overflow).
      std::uint64_t share = bandwidth > 0 ? std::max<std::uint64_t>(1, bandwidth / std::max<std::size_t>(1, ActiveTransfers()))
                            : policy_cap > 0 ? policy_cap
                                             : pace;
      if (policy_cap > 0) share = std::max<std::uint64_t>(1, std::min(share, policy_cap));
      if (pace > 0) share = std::min(share, pace);
      cost += std::chrono::seconds(result.bytes / share) +
              std::chrono::nanoseconds((result.bytes % share) * 1'000'000'000ull / share);
    }
    // Packet loss costs the retransmissions' time (HTTP only: a copy from a path has no packets).
    const std::uint64_t lost =
        FormOfRemoteName(file.remote_url) == RemoteNameForm::kHttp ? LostSegments(job, index, request.offset, result.bytes) : 0;
    if (lost > 0) {
      const Duration retransmitting = options_.retransmit_delay * static_cast<std::int64_t>(lost);
      cost += retransmitting;
      Log(job, "network", "#" + std::to_string(index) + " " + std::to_string(lost) + " segment(s) of bytes " +
                              std::to_string(request.offset) + "+" + std::to_string(result.bytes) + " retransmitted: +" +
                              std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(retransmitting).count()) + "ms");
    }
  }
  const JobId id = job.id;
  job.step_event = events_.ScheduleAfter(cost, [this, id, index, result] {
    FakeJob& stepped = JobAt(id);
    stepped.step_event = 0;
    FinishStep(stepped, index, result);
  });
}

void FakeBitsService::FinishStep(FakeJob& job, std::size_t index, const FetchResult& fetched) {
  FakeFile& file = job.files[index];
  FetchResult result = fetched;
  job.bytes_in_flight = 0;
  TakeRedirect(job, index, result.redirected_to);
  // MAX_DOWNLOAD_SIZE: a byte past the cap (asked for to find a body's end) is not kept.
  bool over_cap = false;
  if (job.max_download_size && !result.remote_changed) {
    const std::uint64_t before = BytesTransferred(job);
    const std::uint64_t left = before >= *job.max_download_size ? 0 : *job.max_download_size - before;
    if (result.bytes > left) {
      over_cap = true;
      result.bytes = left;
      std::error_code ignored;
      std::filesystem::resize_file(file.temp_name, file.bytes_transferred + left, ignored);
    }
  }
  // Bytes that came with the news of a changed file are dropped with the old version: no progress.
  if (result.bytes > 0 && !result.remote_changed) {
    file.bytes_transferred += result.bytes;
    if (file.bytes_total == kSizeUnknown && result.body_size != kSizeUnknown) file.bytes_total = result.body_size;
    Touch(job);
    job.no_progress_since.reset();  // progress restarts the no-progress clock
    job.changed_restarts = 0;
    if (job.deadline_event != 0) events_.Cancel(job.deadline_event);
    job.deadline_event = 0;
    Log(job, "progress", "#" + std::to_string(index) + " " + std::to_string(file.bytes_transferred) + "/" +
                             std::to_string(file.bytes_total));
  }
  if (over_cap) {
    FailJob(job, MaxDownloadSizeReached(job, file));
    return;
  }
  if (result.end_of_body && file.bytes_total == kSizeUnknown) {  // a dynamic file's size is where it ended
    file.bytes_total = file.bytes_transferred;
    Log(job, "progress", "#" + std::to_string(index) + " ended at " + std::to_string(file.bytes_total) + " bytes");
  }
  // A finished file's response (and its read-ahead buffer) goes now, not when the job ends.
  if (file.done()) {
    ReleaseStream(job, index);
    NoteFileDone(job);
  }
  if (result.remote_changed) {
    RestartChangedFile(job);
    return;
  }
  if (!result.error.ok()) {
    FailJob(job, result.error);
    return;
  }
  if (job.all_files_done()) {
    SetState(job, TransitionCause::kAllFilesTransferred);
    ScheduleDispatch();
    return;
  }
  // A dynamic file under way cannot be paused, only started again (StartDynamicFile): it keeps
  // its turn until it ends, or two long ones would take turns for ever.
  const FakeFile& next = job.files[job.current_file()];
  const bool unpausable = IsDynamic(job, next) && next.bytes_transferred > 0;
  if (job.priority != JobPriority::kForeground && !unpausable && Now() - job.slice_start >= options_.background_time_slice) {
    const auto priority = static_cast<std::uint32_t>(job.priority);
    for (auto it = queued_.lower_bound({priority, 0, JobId()});
         it != queued_.end() && std::get<0>(*it) == priority; ++it) {
      if (MayTransfer(JobAt(std::get<2>(*it)))) {
        job.turn = next_turn_++;  // to the back of its priority's line
        SetState(job, TransitionCause::kTimeSliceOver, "time slice over");
        ScheduleDispatch();
        return;
      }
    }
    job.slice_start = Now();
  }
  StartStep(job);
}

void FakeBitsService::RestartChangedFile(FakeJob& job) {
  // Spec T16: the server's copy changed; that file alone starts again from byte 0.
  const std::size_t index = job.current_file();
  FakeFile& file = job.files[index];
  Log(job, "changed", "#" + std::to_string(index) + " " + file.remote_url +
                         (IsDynamic(job, file) ? " dynamic content's response was lost (a new request cannot resume it); restarting it"
                                               : " changed on the server; restarting it"));
  ReleaseStream(job, index);
  std::error_code ignored;
  std::filesystem::remove(file.temp_name, ignored);
  file.bytes_transferred = 0;
  file.bytes_total = kSizeUnknown;
  file.remote_version.clear();
  // Microsoft's "File Transfer Consistency" page restarts the file and names no limit; a server
  // whose file changes on every answer would then spin the engine forever at one virtual instant.
  // So each restart costs virtual time, and a run of them ends as a transient error
  // (docs/decisions.md).
  if (++job.changed_restarts >= options_.max_changed_restarts) {
    job.changed_restarts = 0;
    FailJob(job, TransferError{hr::kNoProgress, ErrorContext::kRemoteFile,
                               file.remote_url + " changed on the server on " +
                                   std::to_string(options_.max_changed_restarts) + " consecutive attempts"});
    return;
  }
  const JobId id = job.id;
  job.step_event = events_.ScheduleAfter(std::max(options_.request_latency, options_.changed_restart_delay), [this, id] {
    FakeJob& restarted = JobAt(id);
    restarted.step_event = 0;
    StartStep(restarted);
  });
}

void FakeBitsService::FailJob(FakeJob& job, const TransferError& error) {
  const std::size_t index = job.current_file();
  ReleaseStream(job, index);
  JobError record;
  record.context = error.context;
  record.code = error.code;
  if (index < job.files.size()) record.file_index = index;
  // IBackgroundCopyError::GetProtocol: "http" for http(s), "file" for SMB and local copies.
  record.protocol = index < job.files.size() && FormOfRemoteName(job.files[index].remote_url) != RemoteNameForm::kHttp
                        ? "file"
                        : "http";
  job.error = record;
  ++job.error_count;
  std::string& line = log_line_;  // memory kept between lines, as SetState's
  line.clear();
  AppendHResultName(line, error.code);
  line.append(" ").append(ToString(error.context)).append(error.injected ? " [injected] " : " ").append(error.detail);
  Log(job, "error", line);

  const bool fatal = ClassifyTransferError(error.code) == ErrorClass::kFatal || job.no_progress_timeout_s == 0;
  if (fatal) {
    CancelTimers(job);
    SetState(job, job.no_progress_timeout_s == 0 ? TransitionCause::kNoProgressTimeout : TransitionCause::kFatalError,
             job.no_progress_timeout_s == 0 ? "no-progress timeout is 0" : "fatal");
    ScheduleDispatch();
    return;
  }
  if (!job.no_progress_since) job.no_progress_since = Now();
  if (Now() - *job.no_progress_since >= std::chrono::seconds(job.no_progress_timeout_s)) {
    CancelTimers(job);
    SetState(job, TransitionCause::kNoProgressTimeout, "no progress for " + Seconds(job.no_progress_timeout_s));
    ScheduleDispatch();
    return;
  }
  // Built in memory the service keeps, as the lines are: this is every retry's.
  std::string& why = reason_;
  why.assign("retry in ");
  AppendSeconds(why, job.retry_delay_s);
  // A code no source classifies is retried by default (docs/decisions.md); the log says so, so
  // that whoever scripted the code can see the retry rests on the default.
  if (!HasListedClass(error.code)) why.append("; unlisted code, transient by default");
  SetState(job, TransitionCause::kTransientError, why);
  ScheduleDeadline(job);
  if (job.retry_delay_s <= job.no_progress_timeout_s) {  // else the deadline ends it (spec §2.1)
    job.retry_at = Now() + std::chrono::seconds(job.retry_delay_s);
    const JobId id = job.id;
    job.retry_event = events_.ScheduleAt(*job.retry_at, [this, id] { OnRetry(JobAt(id)); });
  }
  ScheduleDispatch();
}

void FakeBitsService::ScheduleDeadline(FakeJob& job) {
  const bool clock_runs = job.no_progress_since && network_available_;  // G6: no clock during an outage
  const TimePoint at = clock_runs ? *job.no_progress_since + std::chrono::seconds(job.no_progress_timeout_s) : TimePoint{};
  // Every retry of a job without progress asks again for the same deadline: the event already
  // pending stays (a cancelled one would sit in the queue until compacted, once per retry).
  if (clock_runs && job.deadline_event != 0 && job.deadline_at == at) return;
  if (job.deadline_event != 0) events_.Cancel(job.deadline_event);
  job.deadline_event = 0;
  if (!clock_runs) return;
  const JobId id = job.id;
  job.deadline_at = at;
  job.deadline_event = events_.ScheduleAt(at, [this, id] { OnDeadline(JobAt(id)); });
}

void FakeBitsService::OnRetry(FakeJob& job) {
  job.retry_event = 0;
  job.retry_at.reset();
  if (job.state != JobState::kTransientError) return;
  job.turn = next_turn_++;
  SetState(job, TransitionCause::kRetryDelayElapsed, "retry");
  ScheduleDispatch();
}

void FakeBitsService::OnDeadline(FakeJob& job) {
  job.deadline_event = 0;
  // A job retrying right now (QUEUED/CONNECTING/TRANSFERRING) meets the deadline at its next error;
  // a held job's clock is stopped.
  if (job.state != JobState::kTransientError || IsHeld(job)) return;
  CancelTimers(job);
  SetState(job, TransitionCause::kNoProgressTimeout, "no progress for " + Seconds(job.no_progress_timeout_s));
  ScheduleDispatch();
}

void FakeBitsService::Interrupt(FakeJob& job) {
  if (job.step_event != 0) events_.Cancel(job.step_event);
  job.step_event = 0;
  if (IsRunning(job.state)) ReleaseStream(job, job.current_file());
  if (job.bytes_in_flight > 0) {
    // Bytes fetched for a step that did not finish never count: cut them from the temp file.
    const FakeFile& file = job.files[job.current_file()];
    std::error_code ignored;
    std::filesystem::resize_file(file.temp_name, file.bytes_transferred, ignored);
    job.bytes_in_flight = 0;
  }
}

void FakeBitsService::StartDownloadClock(FakeJob& job) {
  job.download_clock_since = Now();
  // The place an event scheduled now would have among events at the same instant: the event
  // that ends the job takes it, whenever it is scheduled, so ties run as they always did.
  job.download_time_place = events_.TakePlace();
  const Duration limit = std::chrono::seconds(job.max_download_time_s);
  const TimePoint runs_out = Now() + std::max(Duration::zero(), limit - job.download_time);
  if (job.download_time_event != 0 && job.download_time_check < runs_out) {
    // Kept from the last run: it fires first, and then waits for the rest with that place.
    events_.SetBackground(job.download_time_event, false);
    return;
  }
  // None kept, one at this very time (its place is an older one), or one the limit, lowered
  // since, has overtaken.
  if (job.download_time_event != 0) events_.Cancel(job.download_time_event);
  ScheduleDownloadTimeCheck(job, runs_out);
}

void FakeBitsService::ScheduleDownloadTimeCheck(FakeJob& job, TimePoint at) {
  const JobId id = job.id;
  job.download_time_check = at;
  job.download_time_event = events_.ScheduleAt(at, job.download_time_place, [this, id] {
    if (FakeJob* timed = FindJob(id)) OnMaxDownloadTime(*timed);
  });
}

Status FakeBitsService::SetMaximumDownloadTime(const std::string& caller, const JobId& id, std::uint32_t seconds) {
  Status status = SetProperty(caller, id, [&](FakeJob& job) {
    job.max_download_time_s = seconds;
    return Status::Ok();
  });
  if (!status.ok()) return status;
  FakeJob& job = JobAt(id);
  if (job.download_clock_since) {  // running: count what has passed, then time the rest anew
    job.download_time += Now() - *job.download_clock_since;
    StartDownloadClock(job);
  }
  return status;
}

void FakeBitsService::ResetDownloadClock(FakeJob& job) {
  job.download_time = Duration::zero();
  if (job.download_clock_since) StartDownloadClock(job);  // running: a fresh allowance from now
}

void FakeBitsService::StopDownloadClock(FakeJob& job) {
  if (job.download_clock_since) job.download_time += Now() - *job.download_clock_since;
  job.download_clock_since.reset();
  if (job.download_time_event == 0) return;
  if (job.state == JobState::kQueued || job.state == JobState::kTransientError) {
    events_.SetBackground(job.download_time_event, true);  // it runs again by itself: kept
    return;
  }
  events_.Cancel(job.download_time_event);
  job.download_time_event = 0;
}

void FakeBitsService::OnMaxDownloadTime(FakeJob& job) {
  job.download_time_event = 0;
  if (!IsRunning(job.state)) return;  // the next start times what is left
  const Duration limit = std::chrono::seconds(job.max_download_time_s);
  const Duration spent = job.download_time + (job.download_clock_since ? Now() - *job.download_clock_since : Duration::zero());
  if (spent < limit) {  // kept from an earlier run, or the limit grew: not yet
    ScheduleDownloadTimeCheck(job, Now() + (limit - spent));
    return;
  }
  // Fatal, in the queue manager's context: no transfer failed, BITS gave up on the job (the
  // SetMaximumDownloadTime page; docs/decisions.md, "Maximum download time").
  Interrupt(job);
  CancelTimers(job);
  job.error = JobError{ErrorContext::kGeneralQueueManager, hr::kMaxDownloadTimeout, std::nullopt, ""};
  ++job.error_count;
  Log(job, "error", "BG_E_MAXDOWNLOAD_TIMEOUT GENERAL_QUEUE_MANAGER " + Seconds(job.max_download_time_s) +
                        " spent connecting and transferring");
  SetState(job, TransitionCause::kMaxDownloadTime, "maximum download time " + Seconds(job.max_download_time_s));
  ScheduleDispatch();
}

void FakeBitsService::CancelTimers(FakeJob& job) {
  for (EventId* event : {&job.retry_event, &job.deadline_event}) {
    if (*event != 0) events_.Cancel(*event);
    *event = 0;
  }
  job.retry_at.reset();
}

void FakeBitsService::SetNetworkAvailable(bool available) {
  if (available == network_available_) return;
  network_available_ = available;
  log_.Add(Now(), "-", "network", available ? "up" : "down");
  if (!available) {
    network_lost_at_ = Now();
    for (auto& [id, job] : jobs_->InIdOrder()) {
      if (job->deadline_event != 0) events_.Cancel(job->deadline_event);
      job->deadline_event = 0;
      if (!IsActive(job->state)) continue;
      Interrupt(*job);
      // Spec T11: not counted in ErrorCount and not retried on a timer; the network's return queues it.
      job->error = JobError{ErrorContext::kGeneralTransport, hr::kNetworkDisconnected, std::nullopt, ""};
      SetState(*job, TransitionCause::kNetworkLost, "network lost");
    }
    return;
  }
  const Duration outage = Now() - network_lost_at_.value_or(Now());
  network_lost_at_.reset();
  for (auto& [id, job] : jobs_->InIdOrder()) {
    if (IsHeld(*job) && HoldOf(*job) == job->error->code) continue;  // still held (its own clock shift comes on release)
    if (job->no_progress_since) {
      *job->no_progress_since += outage;  // G6: the outage does not count
      MarkChanged(*job);
    }
    if (job->state == JobState::kTransientError) {
      if (job->retry_event != 0) events_.Cancel(job->retry_event);
      job->retry_event = 0;
      job->retry_at.reset();
      SetState(*job, TransitionCause::kNetworkRestored, "network restored");  // spec T12: whatever the error was
    }
    if (job->no_progress_since && !IsFinal(job->state)) ScheduleDeadline(*job);
  }
  ScheduleDispatch();
}

void FakeBitsService::SetPacketLoss(double rate, Duration retransmit_delay) {
  options_.packet_loss = rate;
  options_.retransmit_delay = retransmit_delay;
  char percent[32];
  std::snprintf(percent, sizeof percent, "%g", rate * 100);  // "2", "0.5", and 7, not 7.000000000000001
  log_.Add(Now(), "-", "network", "packet loss " + std::string(percent) + "%, " +
                                      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(retransmit_delay).count()) +
                                      "ms per retransmission");
}

std::uint64_t FakeBitsService::LostSegments(const FakeJob& job, std::size_t index, std::uint64_t offset,
                                            std::uint64_t bytes) const {
  if (options_.packet_loss <= 0 || bytes == 0) return 0;
  constexpr std::uint64_t kSegment = FakeOptions::kSegmentBytes;
  // The segments whose first byte lies in the piece, so each segment belongs to one piece only.
  const std::uint64_t first = (offset + kSegment - 1) / kSegment;
  const std::uint64_t end = (offset + bytes + kSegment - 1) / kSegment;
  const std::uint64_t file = content::SplitMix64::Mix(options_.seed ^ content::Fnv1a(job.StreamKey(index)));
  // A loss is a draw below the rate in 53 bits; every attempt of a segment draws anew, and a
  // segment lost 64 times in a row is let through, so a rate of 1 cannot loop for ever.
  const auto lost = [&](std::uint64_t segment, std::uint64_t attempt) {
    const std::uint64_t draw = content::SplitMix64::Mix(file ^ content::SplitMix64::Mix(segment * 64 + attempt));
    return static_cast<double>(draw >> 11) * 0x1p-53 < options_.packet_loss;
  };
  std::uint64_t losses = 0;
  for (std::uint64_t segment = first; segment < end; ++segment) {
    for (std::uint64_t attempt = 0; attempt < 64 && lost(segment, attempt); ++attempt) ++losses;
  }
  return losses;
}

void FakeBitsService::SetRequestLatency(Duration latency) {
  options_.request_latency = latency;
  log_.Add(Now(), "-", "network", "latency " + std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(latency).count()) + "ms");
}

void FakeBitsService::DropConnections() {
  log_.Add(Now(), "-", "network", "connections dropped");
  const std::vector<JobId> running = running_;  // FailJob changes running_
  for (const JobId& id : running) {
    FakeJob& job = JobAt(id);
    Interrupt(job);
    FailJob(job, TransferError{hr::kReceiveFailure, ErrorContext::kRemoteFile,
                               "the network dropped the connection", true});
  }
}

void FakeBitsService::SetBandwidth(std::uint64_t bytes_per_s) {
  options_.bandwidth_bytes_per_s = bytes_per_s;
  log_.Add(Now(), "-", "network", bytes_per_s == 0 ? "bandwidth unlimited" : "bandwidth " + std::to_string(bytes_per_s) + " B/s");
}

}  // namespace bitsh::fake
