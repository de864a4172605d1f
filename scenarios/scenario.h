// Scenario: one reproducible BITS situation, as plain data loaded from a YAML file
// (scenario_loader.h) and executed by the runner (scenario_runner.h). No behaviour lives here.
// The file format is documented in docs/scenarios.md; scenarios/schema.json validates it in editors.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "backend/job_types.h"
#include "fake/network_plan.h"
#include "fake/proxy_route.h"
#include "server/server_faults.h"
#include "wmp/convention.h"

namespace bitsh::scenarios {

// Where something was written, for messages: "library/drop.yaml:12:5".
struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based
  std::string ToString() const { return file + ":" + std::to_string(line) + ":" + std::to_string(column); }
  bool operator==(const SourceLocation&) const = default;
};

// A file on the server, or on the simulated machine's disk (Scenario::machine_files).
struct ServerFile {
  std::string path;                      // "/album/01.wma" on the server; relative to the work folder on the machine
  std::uint64_t size = 0;                // generated content...
  std::uint64_t seed = 0;                // ...from this seed
  std::optional<std::string> content;    // or literal text (then size/seed are unused)
  SourceLocation where;
};

// A Windows name for a folder of the machine: a UNC share ("\\media\store") or a drive ("D:").
struct ShareSpec {
  std::string name;
  std::string folder;  // relative to the work folder
  SourceLocation where;
};

struct UserSpec {
  std::string name;
  bool admin = false;
  bool logged_on = true;
  // What the user's stored Windows credentials are to a proxy ("name:password"), for jobs with
  // use_stored_credentials (FakeOptions::stored_credentials).
  std::optional<std::string> stored_credentials;
};

struct MachineEventKind;  // scenarios/actions.h: the kinds, each a row of one table
struct JobActionKind;

// Something that happens to the machine at a virtual time.
struct MachineEvent {
  Duration at;
  const MachineEventKind* kind = nullptr;
  std::string argument;  // the user a kind names, or the duration it takes as written ("-2h")
};

// Something the store's code does to one of its jobs at a virtual time.
struct JobAction {
  Duration at;
  const JobActionKind* kind = nullptr;
  std::string from, to;  // for a kind that takes them, as written (a server path, a URL, {work}...)
  std::size_t file_index = 0;  // for a kind that takes a file: its index in the job's files
  std::uint32_t policy = 0;    // for a kind that takes a transfer policy
};

// Stands for the work folder in a job file's url ("file://{work}/in/a.wma").
inline constexpr std::string_view kWorkFolderToken = "{work}";

struct FileSpec {
  // As written: a server path ("/album/01.wma"), a full URL, or a remote name that is not HTTP
  // (fake/remote_name.h); "{work}" stands for the work folder ("file://{work}/in/a.wma").
  std::string url;
  std::string local;  // relative to the scenario's work folder
  // AddFileWithRanges: only these ranges of the remote file, in this order; empty: the whole file.
  std::vector<FileRange> ranges;
};

// notify: how the store's code hears of a job without polling (SetNotifyFlags, SetNotifyInterface,
// SetNotifyCmdLine), and what that code does when it hears.
struct NotifySpec {
  std::optional<std::uint32_t> flags;     // notify_flags; absent: the job's default (0x3)
  bool callback = false;                  // the store registers its callback
  // The callback's first N calls of a method fail (E_FAIL): "JobTransferred" -> N.
  std::map<std::string, int> callback_failures;
  std::optional<NotifyCommandLine> command_line;
  std::vector<int> exit_codes;            // the command line's program exits with these in turn (the last repeats)
  bool complete = false;                  // on JobTransferred (or a program run that exits 0): Complete
  SourceLocation where;
};

// `copies: N` in a file expands into N JobSpecs ("{n}" in id, urls and local names becomes 1..N).
struct JobSpec {
  std::string id;  // the scenario's name for the job
  std::string owner = "user";
  std::string display_name;
  std::optional<std::string> description;       // raw text...
  std::optional<wmp::ConventionRecord> convention;  // ...or built from the convention's fields
  JobPriority priority = JobPriority::kNormal;
  std::optional<std::uint32_t> retry_delay_s;
  std::optional<std::uint32_t> no_progress_timeout_s;
  std::optional<std::uint32_t> max_download_time_s;  // SetMaximumDownloadTime
  std::optional<std::uint32_t> transfer_policy;      // SetJobProperty(COST_FLAGS)
  // The other BITS 5 properties, set before any file is added (SetJobProperty).
  bool high_performance = false;                     // HIGH_PERFORMANCE
  bool dynamic_content = false;                      // DYNAMIC_CONTENT
  std::optional<std::uint64_t> max_download_size;    // MAX_DOWNLOAD_SIZE, bytes
  bool use_stored_credentials = false;               // USE_STORED_CREDENTIALS (the proxy target)
  std::vector<FileSpec> files;
  bool files_as_set = false;           // added with one AddFileSet call (all or none), not AddFile each
  bool resume = true;                  // Resume at time 0
  bool complete_when_transferred = false;  // the store calls Complete as soon as it can
  std::vector<JobAction> actions;
  // Custom headers (SetCustomHeaders), "Name: value" each; sent with every request of the job.
  std::vector<std::string> headers;
  // SetCredentials calls, in order.
  std::vector<AuthCredentials> credentials;
  // SetSecurityFlags, when the scenario names a redirect policy (security_flags::kRedirect*).
  std::optional<std::uint32_t> security_flags;
  // SetProxySettings, when the scenario has a 'proxy' key; "{proxy}" (sim::kProxyToken) in its
  // lists stands for the scenario's proxy.
  std::optional<ProxySettings> proxy;
  std::optional<NotifySpec> notify;
  SourceLocation where;
};

// The scenario's forward proxy (server/forward_proxy.h), with its faults and credentials.
struct ProxySpec {
  std::string credentials;                // "user:password": 407 until they come; empty: open
  std::vector<server::ServerFault> faults;
  SourceLocation where;
};

// The simulated Windows Media Player on the machine (wmp/player.h).
struct PlayerSpec {
  std::optional<std::uint32_t> refresh_download;   // absent = 0: the Player never looks (G15)
  Duration poll_interval = std::chrono::seconds(30);
  std::string library = "library";                 // the library folder, relative to the work folder
  std::string user = "user";                       // whose queue the Player looks at
};

// One expectation; which members are set says what it checks.
struct Expectation {
  SourceLocation where;
  std::optional<Duration> at;                 // checked at this time (default: at the end)
  // About a job.
  std::string job;
  std::optional<JobState> state;
  std::optional<std::uint32_t> error_count;
  std::optional<HResult> error_code;
  std::optional<ErrorContext> error_context;
  std::optional<std::uint64_t> bytes_transferred;
  std::optional<std::uint32_t> files_transferred;
  std::vector<JobState> states_include;       // entered in this order
  std::vector<JobState> states_exclude;       // never entered
  // The job's notifications as the event log has them, in order: "JobTransferred", "JobError",
  // "FileTransferred", "command line" (failed calls included; JobModification left out)...
  std::optional<std::vector<std::string>> callbacks;
  std::optional<std::size_t> min_modifications;  // ...and at least this many JobModification calls
  std::optional<std::vector<std::string>> findings;  // convention rule ids (errors and warnings)
  // About a local file.
  std::string file;                           // relative to the work folder
  std::optional<bool> exists;
  std::optional<std::string> sha256;          // hex digest...
  std::optional<std::string> same_as;         // ...or equal to this server (or machine) file's content
  // About the server's request log (the proxy's, with via_proxy).
  std::string requests_path;                  // requests for this path...
  bool via_proxy = false;                     // ...as the scenario's proxy relayed them
  std::optional<std::vector<std::string>> ranges;  // ...had these Range headers, in order
  std::optional<std::size_t> request_count;
  // ...each carried these header fields (name without case, value exactly)
  std::optional<std::vector<std::pair<std::string, std::string>>> request_headers;
  // About the work folder.
  std::optional<bool> temp_files;             // BIT*.tmp files present (false: none left)
  // About the Player's library.
  std::string library_file;                   // an item filed at this path, relative to the library
  std::optional<std::string> title, album, album_artist, track_number;  // ...with this metadata
  std::optional<std::size_t> library_count;
  // About the queue.
  std::optional<bool> queue_empty;            // no job of any user is left in the queue
};

// A trigger: something made to happen at the first moment a job reaches a point, whatever the
// time (`triggers: [{when: {job: t, state: TRANSIENT_ERROR, error_count: 2}, restart_service: true}]`).
// Every condition given must hold at once; each is checked after every event, so the action
// happens at the virtual instant of the event that made it hold, before the next event. Once.
// Bytes arrive in transfer steps (engine.chunk), so a byte count fires at the first step at or past it.
struct TriggerCondition {
  std::string job;                                 // a scenario job id
  std::optional<JobState> state;                   // the job is in it, or entered it in that event
  std::optional<std::uint32_t> error_count;        // reached (at least)
  std::optional<std::uint64_t> bytes_transferred;  // reached
  std::optional<std::uint32_t> files_transferred;  // reached
  // A notification the job's callback was called with at least once ("JobTransferred", "JobError",
  // "FileTransferred"; failed calls count, as in an expectation's `callbacks`).
  std::optional<std::string> callback;
};

// What a trigger does to the network at that moment.
struct TriggerNetwork {
  bool drop = false;                       // every open connection breaks
  std::optional<std::uint64_t> bandwidth;  // the shared bandwidth from now on (0: unlimited)
  std::optional<Duration> outage;          // the network is down for this long from now
  std::optional<std::uint32_t> cost;       // what it costs from now on (cost_states)
};

struct Trigger {
  SourceLocation where;
  TriggerCondition when;
  // Exactly one of these is the action.
  const MachineEventKind* event = nullptr;  // restart_service, logoff, logon, clock_jump
  std::string event_argument;               // its user or duration (MachineEvent::argument)
  std::optional<server::ServerFault> fault;  // added to the server's faults, ahead of them
  std::optional<TriggerNetwork> network;
  const JobActionKind* action = nullptr;    // the store's call: suspend, resume, cancel, complete...
  std::string action_job;                   // on this job (default: the condition's)
};

// A program outside the harness as the scenario's store (`client: {command: [store.exe, ...]}`):
// it runs from virtual time zero, once the machine is set up and the scenario's own jobs are
// queued, with the clock held still until it exits - or, with advance_when_quiet, moving to the
// next event whenever the program has been quiet that long (external/external_program.h). Its
// jobs are named by their display names in triggers and expectations; an outcome says how it
// exited.
struct ClientSpec {
  SourceLocation where;
  // argv. "{server}" is the file server's base URL ("http://127.0.0.1:PORT"), "{work}" the work
  // folder as the program names it (Z:\tmp\... under Wine). A first word naming a file beside
  // the scenario is taken from there. "store.exe ..." or "wine store.exe ..." runs under Wine.
  std::vector<std::string> command;
  std::string user = "user";                   // the BITS user it runs as
  Duration timeout = std::chrono::minutes(2);  // real time; killed after it
  bool expect_success = true;                  // an outcome: it exits 0 (exit_status: any to skip)
  // Unset: the clock holds still while it runs. Set: when it has made no call for this long (real
  // time), the timeline's next event runs - for a program that waits for its jobs.
  std::optional<Duration> advance_when_quiet;
};

struct Scenario {
  std::string path;  // the file it came from
  std::string name;
  std::string summary;
  std::uint64_t seed = 1;
  Duration max_virtual_time = std::chrono::hours(24 * 30);
  std::vector<std::string> store_keys;     // known online-store keys for convention checks
  std::vector<ServerFile> server_files;
  std::vector<server::ServerFault> server_faults;
  std::vector<ServerFile> machine_files;   // written to the work folder before the jobs start
  std::vector<ShareSpec> shares;
  std::optional<ProxySpec> proxy;
  // The user's own proxy settings (machine.proxy), "{proxy}" unexpanded: what PRECONFIG and
  // AUTODETECT jobs use.
  std::optional<fake::UserProxySettings> user_proxy;
  // Group policies (machine.policies): JobInactivityTimeout (zero: off), and MaxInternetBandwidth
  // for background jobs (0 holds them) until its window ends.
  std::optional<Duration> job_inactivity_timeout;
  std::optional<std::uint64_t> max_internet_bandwidth;
  std::optional<Duration> max_internet_bandwidth_until;
  fake::NetworkPlan network;
  std::uint64_t chunk_bytes = 256 * 1024;
  Duration time_slice = std::chrono::minutes(1);
  std::vector<UserSpec> users;
  std::vector<MachineEvent> events;
  std::vector<Trigger> triggers;
  std::vector<JobSpec> jobs;
  std::optional<ClientSpec> client;
  std::optional<PlayerSpec> player;
  std::vector<Expectation> expectations;
};

}  // namespace bitsh::scenarios
