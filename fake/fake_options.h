// FakeOptions: every knob of the simulated BITS service, each with its default and unit.
// Defaults follow Microsoft's documentation (spec §2.1) or, where it is silent, docs/decisions.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "backend/job_callback.h"
#include "backend/job_types.h"
#include "fake/proxy_route.h"
#include "fake/remote_name.h"
#include "fake/transport.h"
#include "fake/virtual_clock.h"

namespace bitsh::fake {

struct FakeOptions {
  // Seed of the fake's two seeded choices: the job ids (fake/job_id.h) and the segments packet
  // loss drops (packet_loss, below: a function of the seed, the file and the segment's place).
  // Everything else is data given to it (a transport's scripted failures, the NetworkPlan, the
  // file server's faults). Same seed and inputs, same run.
  std::uint64_t seed = 1;
  // Virtual time at which the simulation starts.
  TimePoint start_time = DefaultVirtualEpoch();
  // Lines the event log keeps, the most recent ones (fake/event_log.h): about 20 MB at the
  // default. Every job's states are kept whatever this says, and a log listener sees every line;
  // EventLog::kKeepAll keeps everything (a 14-day run of 1,000 retrying jobs is 8 M lines, 2 GiB).
  std::size_t log_lines_kept = 100'000;

  // Group-policy limits; administrators are exempt (spec §2.1).
  std::size_t max_jobs_per_user = limits::kDefaultMaxJobsPerUser;
  std::size_t max_jobs_per_machine = limits::kDefaultMaxJobsPerMachine;
  std::size_t max_files_per_job = limits::kDefaultMaxFilesPerJob;
  std::size_t max_ranges_per_file = limits::kDefaultMaxRangesPerFile;

  // Network bandwidth shared by all active transfers, in bytes per virtual second; 0 = unlimited.
  std::uint64_t bandwidth_bytes_per_s = 10 * 1024 * 1024;
  // Virtual time each request (probe or fetch) takes before its first byte.
  Duration request_latency = Duration::zero();
  // Packet loss, modelled as the time retransmissions cost: each TCP segment of an HTTP body
  // (kSegmentBytes) is lost with this probability, every retransmission again, and each loss adds
  // `retransmit_delay` to its piece. The draws are a function of `seed`, the job's file and the
  // segment's place in it, never of timing: the same run loses the same segments. 0 = none.
  double packet_loss = 0;
  Duration retransmit_delay = std::chrono::milliseconds(300);
  // The TCP segment packet loss counts in: an Ethernet MSS.
  static constexpr std::uint64_t kSegmentBytes = 1460;
  // Largest piece fetched in one transfer step; progress becomes visible per piece.
  std::uint64_t chunk_bytes = 256 * 1024;
  // A file that changed on the server starts again from byte 0 (spec T16) after at least this much
  // virtual time (or `request_latency`, if longer), so a server whose file changes on every answer
  // cannot spin the engine without the clock moving (docs/decisions.md, "A file that never holds").
  Duration changed_restart_delay = std::chrono::seconds(1);
  // Consecutive changed-file restarts, with no byte kept in between, after which the job records
  // BG_E_NO_PROGRESS (transient): the retry delay and the no-progress timeout then govern it.
  std::uint32_t max_changed_restarts = 5;
  // How long a background job transfers before yielding to another job of the same priority
  // (round-robin; the docs give no length, docs/decisions.md G13).
  Duration background_time_slice = std::chrono::minutes(1);

  // The Windows drives ("C:") and UNC shares (\\fileserver\music) a remote name may
  // start with, and the host folders that stand for them (fake/remote_name.h). A remote name that
  // is a host path or a file:///host/path URL needs no entry.
  WindowsPathMap windows_paths;

  // The user's own proxy settings (Internet Options, or what WPAD finds), which jobs with proxy
  // usage PRECONFIG (the default) or AUTODETECT use (fake/proxy_route.h). nullopt: no proxy.
  std::optional<UserProxySettings> user_proxy;
  // What each user's stored Windows credentials (Credential Manager, the logon) are to a proxy that
  // asks, by user name: a job with USE_STORED_CREDENTIALS (BG_AUTH_TARGET_PROXY) answers a proxy's
  // challenge with its owner's entry when the job has no proxy credentials of its own. The fake's
  // proxies ask with Basic, so an entry is a user name and password (docs/decisions.md, "Job
  // properties"). No entry: the challenge stays unanswered (HTTP 407).
  std::map<std::string, BasicCredentials> stored_credentials;

  // Starts a job's notify command line (SetNotifyCmdLine) and returns its exit code; non-zero
  // makes the service start it again after the job's retry delay while the job is neither
  // completed nor cancelled. Unset (the default), nothing is started: the event log shows the
  // command line and the service takes it as having exited with 0. The fake never starts a
  // process itself (docs/decisions.md, "Notifications").
  std::function<int(const JobId& job, const NotifyCommandLine& command_line)> notify_launcher;
  // The out-of-process COM servers registered on the simulated machine, for jobs that name a
  // notification CLSID (SetJobProperty NOTIFICATION_CLSID) and have no callback interface: called
  // with the CLSID (registry form, upper-case hex) when such a job has something to report, it
  // returns the object to call, or nullptr when no class is registered under it. That is
  // REGDB_E_CLASSNOTREG, a failed notice, as a callback's failure is. Unset: no class is registered.
  std::function<std::shared_ptr<JobCallback>(const std::string& clsid)> notification_servers;
  // JobModification notices come at most once per this much virtual time per job (BITS 5's
  // MINIMUM_NOTIFICATION_INTERVAL_MS, 500 ms by default), changes in between coalesced into one.
  Duration minimum_notification_interval = std::chrono::milliseconds(500);

  // Group policies that act on jobs over time (spec §4, "Group Policies"). JobInactivityTimeout: a
  // job nobody touched (no progress, no property change, no state change) for this long is
  // cancelled, its temporary files deleted. A background timer (EventQueue::ScheduleBackgroundAt):
  // it fires when the simulation gets that far but does not keep an otherwise idle run going.
  // Zero turns it off.
  Duration job_inactivity_timeout = std::chrono::hours(24 * 90);
  // MaxInternetBandwidth for background jobs, in bytes per second (the policy's kbps / 8 * 1000);
  // nullopt: not configured. 0 blocks them: TRANSIENT_ERROR with BG_E_BLOCKED_BY_POLICY until the
  // policy changes (FakeBitsService::SetMaxInternetBandwidth); foreground jobs are never limited.
  std::optional<std::uint64_t> max_internet_bandwidth;

  // Where the service keeps its on-disk snapshot; empty = no persistence.
  std::filesystem::path snapshot_path;
  // Flush every snapshot write to disk (fsync of the file and its folder), so that a power cut
  // cannot lose or empty it. Off, a write is still whole after a crash of the process (it goes to
  // a temporary name and is renamed), not after a power cut. The harness's own runs keep their
  // snapshot in a scratch folder deleted at the end and turn it off: a flush per state change
  // made the conformance suite 14 times slower (9.6 s to 136 s).
  bool flush_snapshot = true;
};

}  // namespace bitsh::fake
