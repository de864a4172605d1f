#include "scenarios/scenario_runner.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "content/generated_content.h"
#include "backend/recording_backend.h"
#include "content/hashing.h"
#include "external/external_program.h"
#include "fake/network_plan.h"
#include "scenarios/actions.h"
#include "scenarios/expectation_checker.h"
#include "scenarios/invariants.h"
#include "scenarios/scenario_machine.h"
#include "scenarios/scenario_sections.h"
#include "server/control_protocol.h"
#include "sim/machine.h"
#include "wmp/convention.h"

namespace bitsh::scenarios {
namespace {

// The store's callback (a job's notify: callback): answers as the scenario says - its first calls
// of a method may fail - and, with notify: complete, completes the job it hears was transferred.
class StoreCallback final : public JobCallback {
 public:
  StoreCallback(Backend& bits, const NotifySpec& spec)
      : bits_(bits), failures_(spec.callback_failures), complete_(spec.complete) {}

  Status JobTransferred(const JobId& job) override {
    if (Status failed = Answer("JobTransferred"); !failed.ok()) return failed;
    if (complete_) static_cast<void>(bits_.Complete(job));  // its outcome shows in the job's states
    return Status::Ok();
  }
  Status JobError(const JobId&, const bitsh::JobError&) override { return Answer("JobError"); }
  Status FileTransferred(const JobId&, const FileStatus&) override { return Answer("FileTransferred"); }

 private:
  Status Answer(const std::string& method) {
    int& left = failures_[method];
    if (left <= 0) return Status::Ok();
    --left;
    return Status(hr::kFail, "the scenario's callback fails " + method);
  }

  Backend& bits_;
  std::map<std::string, int> failures_;
  bool complete_;
};

// One run: the scenario's machine, then the timeline, then the expectations.
class Run {
 public:
  Run(const Scenario& scenario, const RunOptions& options, ScenarioResult& result)
      : scenario_(scenario), options_(options), result_(result), setup_(scenario, result.seed) {}

  void Execute() {
    sim::MachineOptions machine_options = setup_.Options();
    machine_options.work_root = options_.work_root;
    machine_options.work_prefix = "bitsh-run";
    machine_options.keep_work = options_.keep_work;
    machine_options.limits = {options_.max_events, options_.watchdog};
    machine_options.wrap_transport = options_.wrap_transport;
    machine_options.bits.log_lines_kept = options_.log_lines_kept;
    machine_options.bits.notify_launcher = [this](const JobId& job, const NotifyCommandLine&) { return Launch(job); };
    Result<std::unique_ptr<sim::Machine>> started = sim::Machine::Start(std::move(machine_options));
    if (!started.ok()) {
      result_.internal_error = started.status().ToString();
      return;
    }
    machine_ = std::move(started).value();
    if (!options_.log_file.empty()) {
      log_file_.open(options_.log_file, std::ios::binary | std::ios::trunc);
      if (!log_file_) {
        result_.internal_error = "cannot write the event log to " + options_.log_file.string();
        return;
      }
    }
    // From the first line on: a callback made while the scenario is being set up counts too.
    fired_.assign(scenario_.triggers.size(), false);
    heard_.assign(scenario_.triggers.size(), false);
    machine_->bits().ListenToLog([this](const fake::LogEvent& event) { Listen(event); });
    if (Status prepared = setup_.Prepare(*machine_); !prepared.ok()) result_.internal_error = prepared.ToString();
    CreateJobs();
    StartPlayer();
    if (options_.hooks) options_.hooks->OnStart(*machine_);
    RunTimeline();
    if (options_.hooks) options_.hooks->OnEnd(*machine_);
    if (log_file_.is_open()) {
      log_file_.flush();
      if (!log_file_) result_.internal_error = "could not write the whole event log to " + options_.log_file.string();
    }
    Finish();
  }

 private:
  // A job file's remote name as the store's code would pass it: a server path becomes the file
  // server's URL, "{work}" the work folder.
  std::string RemoteName(std::string url) const {
    if (url.front() == '/') return machine_->Url(url);
    return WithWorkFolder(sim::WithClosedPortAddress(std::move(url), machine_->closed_port_address()),
                          machine_->work_folder().string());
  }

  // A job's proxy settings with "{proxy}" in its lists replaced by the proxy's address (the loader
  // made sure a list naming it has a proxy to name).
  ProxySettings WithProxy(ProxySettings settings) const {
    const std::string address = machine_->proxy() != nullptr ? machine_->proxy()->address() : "";
    if (settings.proxy_list) settings.proxy_list = sim::WithProxyAddress(*settings.proxy_list, address);
    if (settings.bypass_list) settings.bypass_list = sim::WithProxyAddress(*settings.bypass_list, address);
    return settings;
  }

  // HIGH_PERFORMANCE, DYNAMIC_CONTENT, MAX_DOWNLOAD_SIZE, USE_STORED_CREDENTIALS: before the job's
  // first file (HIGH_PERFORMANCE is fixed from then on) and its first Resume.
  // The event log as text, each job's GUID followed by the scenario's name for it, as bitsadmin
  // shows a job's id and display name side by side: "{C982F6DB-...} 'track' state ...".
  std::string NamedTrace(const std::vector<fake::LogEvent>& events) const {
    std::string text = result_.events_dropped == 0 ? "" : fake::EventLog::DroppedLine(result_.events_dropped) + "\n";
    for (fake::LogEvent event : events) {
      for (const auto& [name, bits_id] : result_.jobs) {
        if (bits_id == event.job) event.job += " '" + name + "'";
      }
      text += fake::EventLog::FormatLine(event) + "\n";
    }
    return text;
  }

  void SetOtherProperties(const JobSpec& spec, Backend& bits, const JobId& id) {
    const auto set = [&](const char* call, JobPropertyId property, const JobPropertyValue& value) {
      Expect(spec, call, bits.SetJobProperty(id, property, value));
    };
    if (spec.high_performance) {
      set("SetJobProperty(HIGH_PERFORMANCE)", JobPropertyId::kHighPerformance, JobPropertyValue::FromEnable(true));
    }
    if (spec.dynamic_content) {
      set("SetJobProperty(DYNAMIC_CONTENT)", JobPropertyId::kDynamicContent, JobPropertyValue::FromEnable(true));
    }
    if (spec.max_download_size) {
      set("SetJobProperty(MAX_DOWNLOAD_SIZE)", JobPropertyId::kMaxDownloadSize,
          JobPropertyValue::FromUint64(*spec.max_download_size));
    }
    if (spec.use_stored_credentials) {
      set("SetJobProperty(USE_STORED_CREDENTIALS)", JobPropertyId::kUseStoredCredentials,
          JobPropertyValue::FromTarget(AuthTarget::kProxy));
    }
  }

  void CreateJobs() {
    for (const JobSpec& spec : scenario_.jobs) {
      Backend& bits = machine_->Connection(spec.owner);
      creating_ = &spec.id;
      Result<JobId> created = bits.CreateJob(spec.display_name, JobType::kDownload);
      creating_ = nullptr;
      if (!created.ok()) {
        result_.internal_error = "job " + spec.id + ": CreateJob failed: " + created.status().ToString();
        continue;
      }
      const JobId id = *created;
      jobs_[spec.id] = id;
      result_.jobs.emplace_back(spec.id, id.ToString());
      // Convention fields are written as they are, unvalidated: scenarios deliberately write
      // records the convention forbids (serviceId 0, ...) to see what happens to them.
      const std::string description = spec.description ? *spec.description
                                      : spec.convention ? wmp::DescriptionText(*spec.convention) : std::string();
      if (!description.empty()) Expect(spec, "SetDescription", bits.SetDescription(id, description));
      Expect(spec, "SetPriority", bits.SetPriority(id, spec.priority));
      if (spec.retry_delay_s) Expect(spec, "SetMinimumRetryDelay", bits.SetMinimumRetryDelay(id, *spec.retry_delay_s));
      if (spec.transfer_policy) {
        JobPropertyValue policy;
        policy.dword = *spec.transfer_policy;
        Expect(spec, "SetJobProperty(COST_FLAGS)", bits.SetJobProperty(id, JobPropertyId::kCostFlags, policy));
      }
      SetOtherProperties(spec, bits, id);
      if (spec.max_download_time_s) {
        Expect(spec, "SetMaximumDownloadTime", bits.SetMaximumDownloadTime(id, *spec.max_download_time_s));
      }
      if (spec.no_progress_timeout_s) {
        Expect(spec, "SetNoProgressTimeout", bits.SetNoProgressTimeout(id, *spec.no_progress_timeout_s));
      }
      if (!spec.headers.empty()) {
        std::string headers;
        for (const std::string& line : spec.headers) headers += line + "\r\n";
        Expect(spec, "SetCustomHeaders", bits.SetCustomHeaders(id, headers));
      }
      if (spec.security_flags) Expect(spec, "SetSecurityFlags", bits.SetSecurityFlags(id, *spec.security_flags));
      if (spec.proxy) Expect(spec, "SetProxySettings", bits.SetProxySettings(id, WithProxy(*spec.proxy)));
      for (const AuthCredentials& credentials : spec.credentials) {
        Expect(spec, "SetCredentials", bits.SetCredentials(id, credentials));
      }
      std::vector<FileToAdd> set;  // files_as_set: one AddFileSet call after the loop
      for (const FileSpec& file : spec.files) {
        const std::filesystem::path local = machine_->work_folder() / file.local;
        std::filesystem::create_directories(local.parent_path());
        if (spec.files_as_set) {
          set.push_back(FileToAdd{RemoteName(file.url), local.string()});
        } else if (file.ranges.empty()) {
          Expect(spec, "AddFile", bits.AddFile(id, RemoteName(file.url), local.string()));
        } else {
          Expect(spec, "AddFileWithRanges", bits.AddFileWithRanges(id, RemoteName(file.url), local.string(), file.ranges));
        }
      }
      if (spec.files_as_set && !set.empty()) Expect(spec, "AddFileSet", bits.AddFileSet(id, set));
      if (spec.notify) RegisterNotifications(spec, bits, id);
      if (spec.resume) (void)bits.Resume(id);  // may fail on purpose (an empty job)
      for (const JobAction& action : spec.actions) {
        // A prefix is a remote name's beginning: "/cdn1" stands for the file server's "/cdn1" too.
        JobActionArguments arguments;
        if (action.kind->takes_from_and_to) arguments = {RemoteName(action.from), RemoteName(action.to)};
        arguments.file_index = action.file_index;
        arguments.policy = action.policy;
        machine_->At(action.at, [this, &spec, id, action, arguments] {
          // The outcome shows in the job's states; expectations check those.
          (void)action.kind->apply(machine_->Connection(spec.owner), id, arguments);
        });
      }
    }
  }

  void RegisterNotifications(const JobSpec& spec, Backend& bits, const JobId& id) {
    const NotifySpec& notify = *spec.notify;
    if (notify.flags) Expect(spec, "SetNotifyFlags", bits.SetNotifyFlags(id, *notify.flags));
    if (notify.command_line) Expect(spec, "SetNotifyCmdLine", bits.SetNotifyCmdLine(id, *notify.command_line));
    if (notify.callback) {
      Expect(spec, "SetNotifyInterface", bits.SetNotifyInterface(id, std::make_shared<StoreCallback>(bits, notify)));
    }
  }

  // The program a job's command line names, as the fake would start it: it exits with the
  // scenario's codes in turn (the last repeats; 0 when none), and with notify: complete, completes
  // the job when it exits 0 and the job is transferred.
  int Launch(const JobId& job) {
    const auto named = std::find_if(jobs_.begin(), jobs_.end(), [&](const auto& entry) { return entry.second == job; });
    if (named == jobs_.end()) return 0;
    const JobSpec& spec = *std::find_if(scenario_.jobs.begin(), scenario_.jobs.end(),
                                        [&](const JobSpec& candidate) { return candidate.id == named->first; });
    if (!spec.notify) return 0;
    const std::vector<int>& codes = spec.notify->exit_codes;
    const std::size_t run = launches_[spec.id]++;
    const int exit_code = codes.empty() ? 0 : codes[std::min(run, codes.size() - 1)];
    Backend& bits = machine_->Connection(spec.owner);
    if (exit_code == 0 && spec.notify->complete && bits.GetState(job).ok() && *bits.GetState(job) == JobState::kTransferred) {
      static_cast<void>(bits.Complete(job));
    }
    return exit_code;
  }

  // A failing setup call is a broken scenario, not a finding: report it as such.
  void Expect(const JobSpec& spec, const char* call, const Status& status) {
    if (!status.ok()) {
      result_.outcomes.push_back({spec.where, false, "job " + spec.id + " " + call + " succeeds", status.ToString()});
    }
  }

  // The scenario's external program, from time zero (ClientSpec): with the clock held, or, with
  // advance_when_quiet, running the timeline's next event whenever the program is quiet, `look`
  // after each. Its jobs take their display names (a second job of the same name "NAME #2"), for
  // triggers and expectations, from when it exits.
  void RunClient(const std::function<bool()>& look) {
    if (!scenario_.client) return;
    const ClientSpec& spec = *scenario_.client;
    external::ProgramOptions program;
    program.command = spec.command;
    program.user = spec.user;
    program.timeout = std::chrono::ceil<std::chrono::seconds>(spec.timeout);
    program.work_folder = machine_->work_folder() / "client";
    program.wine = options_.wine;
    const std::string work = external::PathForProgram(program, machine_->work_folder());
    for (std::size_t i = 1; i < program.command.size(); ++i) {
      std::string& arg = program.command[i];
      for (std::size_t at = arg.find("{server}"); at != std::string::npos; at = arg.find("{server}", at)) {
        arg.replace(at, 8, machine_->server().base_url());
      }
      arg = WithWorkFolder(std::move(arg), work);
    }
    if (spec.advance_when_quiet) {
      program.quiet_period = std::chrono::ceil<std::chrono::milliseconds>(*spec.advance_when_quiet);
      program.advance = [this, &look] {
        const TimePoint deadline = machine_->start_time() + scenario_.max_virtual_time;
        const std::optional<TimePoint> next = machine_->bits().events().NextEventTime();
        if (!next || *next > deadline || !trigger_failure_.empty()) return false;
        if (client_events_ >= options_.max_events) {  // the run's bound holds while the client runs too
          if (result_.internal_error.empty()) {
            result_.internal_error = "the run reached its event limit (" + std::to_string(options_.max_events) +
                                     ") while the client ran";
          }
          return false;
        }
        int checks = 0;  // RunUntil asks before the first event and after each: one event, then look
        const sim::RunOutcome outcome = machine_->RunUntil(
            [&] {
              if (++checks == 1) return false;
              static_cast<void>(look());
              return true;
            },
            std::max(*next, machine_->Now()));
        client_events_ += outcome.events;
        if (!outcome.why.empty() && result_.internal_error.empty()) result_.internal_error = outcome.why;
        return outcome.events > 0;
      };
    }
    RecordingBackend bits(machine_->Connection(spec.user));
    const external::ProgramOutcome outcome = external::RunProgram(bits, program);
    for (const RecordingBackend::Created& created : bits.created()) {
      std::string name = created.display_name;
      for (int n = 2; jobs_.contains(name); ++n) name = created.display_name + " #" + std::to_string(n);
      jobs_[name] = created.job;
      result_.jobs.emplace_back(name, created.job.ToString());
    }
    if (!outcome.error.empty() || spec.expect_success) {
      std::string actual = outcome.Result();  // no real time: reports of one run read the same
      if (!outcome.output.empty()) actual += "; its output:\n" + outcome.output;
      // Neutral names, with the work folder as the program named it (Z:\tmp\...) made a host path first.
      const auto neutral = [&](const std::string& text) {
        return machine_->Neutral(external::WithHostPaths(program, text, machine_->work_folder()));
      };
      client_outcome_ = ExpectationOutcome{spec.where, outcome.ok(), "client " + neutral(outcome.command) + " exits 0",
                                           neutral(actual)};
    }
  }

  void StartPlayer() {
    if (!scenario_.player) return;
    const PlayerSpec& spec = *scenario_.player;
    wmp::PlayerSettings settings;
    settings.refresh_download = spec.refresh_download;
    settings.library_folder = machine_->work_folder() / spec.library;
    settings.store_keys = scenario_.store_keys;
    machine_->StartPlayer(spec.user, std::move(settings));
    machine_->PollPlayerEvery(spec.poll_interval);
  }

  // Runs until nothing can happen any more, or max_virtual_time.
  void RunTimeline() {
    // Timed expectations are events too, so they see the state at exactly their time.
    for (const Expectation& expectation : scenario_.expectations) {
      if (!expectation.at) continue;
      machine_->At(*expectation.at, [this, &expectation] {
        RunView view = View();
        timed_outcomes_.emplace_back(&expectation, Check(expectation, view));
      });
    }
    // Triggers, and a store that completes its jobs as soon as they are TRANSFERRED, look after
    // every event.
    const auto store_looks_then_idle = [this] {
      FireTriggers();
      if (!trigger_failure_.empty()) return true;  // the machine the scenario describes is gone
      CompleteTransferredJobs();
      return machine_->Idle();
    };
    RunClient(store_looks_then_idle);
    const sim::RunOutcome outcome =
        machine_->RunUntil(store_looks_then_idle, machine_->start_time() + scenario_.max_virtual_time);
    result_.events_run = client_events_ + outcome.events;
    if (!outcome.why.empty()) result_.internal_error = outcome.why;
    if (!trigger_failure_.empty()) result_.internal_error = trigger_failure_;
  }

  // Fires each trigger whose condition holds now, once (scenario.h, Trigger). A state "holds" when
  // the job is in it or entered it since the last look: one event may pass through a state.
  void FireTriggers() {
    // The states entered up to this look; those a trigger's action causes during it are for the
    // next look, as the lines they log come after this one.
    const std::set<std::pair<std::string, JobState>> entered = std::exchange(entered_since_look_, {});
    for (std::size_t index = 0; index < scenario_.triggers.size(); ++index) {
      const Trigger& trigger = scenario_.triggers[index];
      if (fired_[index] || !Holds(trigger.when, entered, heard_[index])) continue;
      fired_[index] = true;
      Fire(trigger);
    }
  }

  // What the triggers and the checks read from the fake's log, taken as each line is added (the
  // log keeps only its most recent lines): the callbacks made and the files renamed, for the
  // expectations and invariants; the states entered since the triggers last looked; the callbacks
  // the triggers wait for, heard once and heard for good.
  void Listen(const fake::LogEvent& event) {
    if (log_file_.is_open()) Stream(event);
    if (event.kind == "notify" || event.kind == "rename") notices_.push_back(event);
    if (scenario_.triggers.empty()) return;
    if (event.state) entered_since_look_.emplace(event.job, *event.state);
    if (event.kind != "notify") return;
    for (std::size_t index = 0; index < scenario_.triggers.size(); ++index) {
      const TriggerCondition& when = scenario_.triggers[index].when;
      if (!when.callback || heard_[index] || !jobs_.contains(when.job)) continue;
      heard_[index] = event.job == jobs_.at(when.job).ToString() && event.detail.starts_with(*when.callback);
    }
  }

  // Writes `event` to the log file as NamedTrace will show it. A job is named from its "create"
  // line on, which CreateJobs makes while it says which scenario job it is creating.
  void Stream(const fake::LogEvent& event) {
    if (creating_ != nullptr && event.kind == "create") streamed_names_[event.job] = *creating_;
    fake::LogEvent line = event;
    line.detail = machine_->Neutral(std::move(line.detail));
    if (const auto name = streamed_names_.find(line.job); name != streamed_names_.end()) {
      line.job += " '" + name->second + "'";
    }
    log_file_ << fake::EventLog::FormatLine(line) << '\n';
  }

  // The connection whose queue holds `job` now: its owner's, or another user's after TakeOwnership.
  Backend& QueueOf(const std::string& job) {
    Backend& owner = machine_->Connection(OwnerOf(job));
    if (!jobs_.contains(job) || owner.GetState(jobs_.at(job)).ok()) return owner;
    for (const std::string& user : machine_->ConnectedUsers()) {
      if (machine_->Connection(user).GetState(jobs_.at(job)).ok()) return machine_->Connection(user);
    }
    return owner;
  }

  bool Holds(const TriggerCondition& when, const std::set<std::pair<std::string, JobState>>& entered, bool heard) {
    const auto created = jobs_.find(when.job);
    if (created == jobs_.end()) return false;
    const JobId& id = created->second;
    Backend& bits = QueueOf(when.job);
    if (when.state) {
      Result<JobState> state = bits.GetState(id);
      if (!(state.ok() && *state == *when.state) && !entered.contains({id.ToString(), *when.state})) return false;
    }
    if (when.error_count) {
      Result<std::uint32_t> count = bits.GetErrorCount(id);
      if (!count.ok() || *count < *when.error_count) return false;
    }
    if (when.bytes_transferred || when.files_transferred) {
      Result<JobProgress> progress = bits.GetProgress(id);
      if (!progress.ok()) return false;
      if (when.bytes_transferred && progress->bytes_transferred < *when.bytes_transferred) return false;
      if (when.files_transferred && progress->files_transferred < *when.files_transferred) return false;
    }
    return !when.callback || heard;
  }

  void Fire(const Trigger& trigger) {
    const std::string at = trigger.where.ToString().substr(trigger.where.file.size() + 1);  // "12:5"
    const std::string job = jobs_.at(trigger.when.job).ToString();
    if (trigger.event != nullptr) {
      machine_->bits().Note(job, "trigger", "line " + at + ": " + std::string(trigger.event->name) +
                                                (trigger.event_argument.empty() ? "" : " " + trigger.event_argument));
      // Machine::Stop is for events; this runs between them, so the run ends through the predicate.
      if (Status status = trigger.event->apply(*machine_, trigger.event_argument); !status.ok()) {
        trigger_failure_ = std::string(trigger.event->name) + " at " + machine_->ElapsedText() + ": " + status.ToString();
      }
    } else if (trigger.fault) {
      machine_->bits().Note(job, "trigger", "line " + at + ": fault " + std::string(server::ToString(trigger.fault->kind)) +
                                                " on " + trigger.fault->path);
      machine_->server().AddFault(setup_.Seeded(*trigger.fault, "trigger"), /*first=*/true);
    } else if (trigger.network) {
      machine_->bits().Note(job, "trigger", "line " + at + ": network");
      fake::FakeBitsService& bits = machine_->bits();
      if (trigger.network->bandwidth) bits.SetBandwidth(*trigger.network->bandwidth);
      if (trigger.network->cost) bits.SetNetworkCost(*trigger.network->cost);
      if (trigger.network->drop) bits.DropConnections();
      if (trigger.network->outage) {  // overlapping trigger outages: the network returns when the last ends
        ++trigger_outages_;
        bits.SetNetworkAvailable(false);
        machine_->At(machine_->Elapsed() + *trigger.network->outage, [this] {
          if (--trigger_outages_ == 0) machine_->bits().SetNetworkAvailable(true);
        });
      }
    } else if (trigger.action != nullptr && jobs_.contains(trigger.action_job)) {
      machine_->bits().Note(job, "trigger", "line " + at + ": " + std::string(trigger.action->name) + " job " + trigger.action_job);
      // The outcome shows in the job's states; expectations check those.
      (void)trigger.action->apply(QueueOf(trigger.action_job), jobs_.at(trigger.action_job), {});
    }
  }

  // The owner of the job the scenario calls `job`: its JobSpec's, or the client's user for one of
  // the client's jobs.
  std::string OwnerOf(const std::string& job) const {
    const auto spec = std::find_if(scenario_.jobs.begin(), scenario_.jobs.end(),
                                   [&](const JobSpec& candidate) { return candidate.id == job; });
    if (spec != scenario_.jobs.end()) return spec->owner;
    return scenario_.client ? scenario_.client->user : std::string("user");
  }

  void CompleteTransferredJobs() {
    for (const JobSpec& spec : scenario_.jobs) {
      if (!spec.complete_when_transferred || !jobs_.contains(spec.id)) continue;
      Backend& bits = machine_->Connection(spec.owner);
      Result<JobState> state = bits.GetState(jobs_.at(spec.id));
      if (state.ok() && *state == JobState::kTransferred) (void)bits.Complete(jobs_.at(spec.id));
    }
  }

  RunView View() { return RunView{scenario_, *machine_, jobs_, notices_}; }

  void Finish() {
    if (client_outcome_) result_.outcomes.push_back(*client_outcome_);
    for (const Expectation& expectation : scenario_.expectations) {
      if (expectation.at) {
        auto found = std::find_if(timed_outcomes_.begin(), timed_outcomes_.end(),
                                  [&](const auto& entry) { return entry.first == &expectation; });
        if (found != timed_outcomes_.end()) {
          result_.outcomes.push_back(found->second);
        } else {
          result_.outcomes.push_back({expectation.where, false, "expectation at " + std::to_string(
              std::chrono::duration_cast<std::chrono::seconds>(*expectation.at).count()) + "s",
              result_.internal_error.empty() ? "the run ended (max_virtual_time) before that time"
                                             : "the run was ended early (" + result_.internal_error + ")"});
        }
        continue;
      }
      RunView view = View();
      result_.outcomes.push_back(Check(expectation, view));
    }
    if (options_.check_invariants) {
      RunView view = View();
      for (ExpectationOutcome& outcome : CheckInvariants(view)) result_.outcomes.push_back(std::move(outcome));
    }
    // The server's port and the work folder change on every run; reports show neutral names so
    // that two runs' traces, Chrome traces and plots compare equal byte for byte.
    const fake::EventLog& log = machine_->bits().log();
    result_.events.assign(log.events().begin(), log.events().end());
    result_.events_dropped = log.dropped();
    for (fake::LogEvent& event : result_.events) event.detail = machine_->Neutral(std::move(event.detail));
    result_.trace = NamedTrace(result_.events);
    result_.internal_error = machine_->Neutral(result_.internal_error);
    result_.requests = machine_->server().log().Records();
    result_.virtual_time = machine_->Elapsed();
    if (options_.keep_work) result_.work_folder = machine_->work_folder();
  }

  const Scenario& scenario_;
  const RunOptions& options_;
  ScenarioResult& result_;
  ScenarioMachine setup_;  // the machine's own parts, and the fault seeds triggers draw from too
  std::unique_ptr<sim::Machine> machine_;
  std::map<std::string, JobId> jobs_;
  std::optional<ExpectationOutcome> client_outcome_;  // how the scenario's client exited
  std::uint64_t client_events_ = 0;                    // events run while it ran (advance_when_quiet)
  std::vector<std::pair<const Expectation*, ExpectationOutcome>> timed_outcomes_;
  std::map<std::string, std::size_t> launches_;  // how often each job's command line ran
  std::vector<bool> fired_;                      // per trigger: it fired
  std::vector<bool> heard_;                      // per trigger: its callback was called
  std::string trigger_failure_;                  // a trigger's machine event failed: the run ends
  int trigger_outages_ = 0;                      // trigger outages under way
  std::set<std::pair<std::string, JobState>> entered_since_look_;  // (job, state) since the triggers looked
  std::vector<fake::LogEvent> notices_;          // the log's "notify" and "rename" lines (Listen)
  std::ofstream log_file_;                       // RunOptions::log_file, while the run lasts
  const std::string* creating_ = nullptr;        // the scenario job CreateJobs is creating
  std::map<std::string, std::string> streamed_names_;  // BITS id -> scenario job, for Stream
};

}  // namespace

namespace {

ScenarioResult RunOnce(const Scenario& scenario, const RunOptions& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  ScenarioResult result;
  result.path = scenario.path;
  result.name = scenario.name;
  result.seed = options.seed.value_or(scenario.seed);
  result.network = scenario.network;
  if (options.check_invariants) {  // the default line would run it without them, and might pass
    result.reproduce = "bitsh run " + scenario.path + " --seed=" + std::to_string(result.seed) + " --invariants";
  }
  {
    Run run(scenario, options, result);
    run.Execute();
  }
  result.passed = result.internal_error.empty() &&
                  std::all_of(result.outcomes.begin(), result.outcomes.end(),
                              [](const ExpectationOutcome& outcome) { return outcome.passed; });
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

}  // namespace

ScenarioResult RunScenario(const Scenario& scenario, const RunOptions& options) {
  ScenarioResult first = RunOnce(scenario, options);
  for (unsigned run = 2; run <= options.repeat; ++run) {
    const ScenarioResult again = RunOnce(scenario, options);
    const std::string difference = fake::EventLog::FirstDifference(first.trace, again.trace);
    if (difference.empty()) continue;
    first.passed = false;
    first.outcomes.push_back({SourceLocation{scenario.path, 1, 1}, false,
                              "an identical trace on repeat " + std::to_string(run),
                              "the trace differs at " + difference});
    break;
  }
  return first;
}

}  // namespace bitsh::scenarios
