#include "scenarios/scenario_runner.h"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <map>

#include "fake/fake_service.h"
#include "fake/http_transport.h"
#include "scenarios/expectation_checker.h"
#include "scenarios/scenario_sections.h"
#include "wmp/player.h"

namespace bitsh::scenarios {
namespace {

// The description text of a convention record, without validation: scenarios deliberately write
// records the convention forbids (serviceId 0, ...) to see what happens to them.
std::string RawDescription(const wmp::ConventionRecord& r) {
  return std::string(r.kind == wmp::RecordKind::kJob ? "::WMP_JOB:1:" : "::WMP_STATUS:1:") +
         std::to_string(r.service_id) + ":" + r.provider + ":" + r.album_artist + ":" + r.album_title + ":" +
         r.track_number + ":" + r.title + ":" + r.duration + ":" + r.rating;
}

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

std::filesystem::path MakeWorkFolder(const RunOptions& options) {
  const std::filesystem::path root = options.work_root.empty() ? std::filesystem::temp_directory_path() : options.work_root;
  std::filesystem::create_directories(root);
  std::string pattern = (root / "bitsh-run-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return {};
  return pattern;
}

// One run's moving parts, torn down in reverse order.
class Run {
 public:
  Run(const Scenario& scenario, const RunOptions& options, ScenarioResult& result)
      : scenario_(scenario), options_(options), result_(result) {}

  void Execute() {
    work_ = MakeWorkFolder(options_);
    if (work_.empty()) {
      result_.internal_error = "cannot create a work folder";
      return;
    }
    if (!StartServer()) return;
    fake::FakeOptions fake_options;
    fake_options.seed = result_.seed;
    fake_options.chunk_bytes = scenario_.chunk_bytes;
    fake_options.background_time_slice = scenario_.time_slice;
    // The snapshot costs a write of the whole queue per state change; only restarts need it.
    const bool restarts = std::any_of(scenario_.events.begin(), scenario_.events.end(), [](const MachineEvent& e) {
      return e.kind == MachineEvent::Kind::kRestartService;
    });
    if (restarts) fake_options.snapshot_path = work_ / "bits-queue.json";
    fake_options.flush_snapshot = false;  // the work folder is deleted at the end: no power cut to survive
    service_ = std::make_unique<fake::FakeBitsService>(fake_options, http_);
    if (!service_->startup_status().ok()) {
      result_.internal_error = "the BITS service did not start: " + service_->startup_status().ToString();
      return;
    }
    for (const UserSpec& user : scenario_.users) service_->AddUser(user.name, user.admin, user.logged_on);
    fake::ApplyNetworkPlan(*service_, scenario_.network);
    ScheduleMachineEvents();
    CreateJobs();
    StartPlayer();
    RunTimeline();
    Finish();
  }

  ~Run() {
    player_.reset();
    backends_.clear();
    service_.reset();
    server_.reset();  // stops and joins
    if (!options_.keep_work && !work_.empty()) std::filesystem::remove_all(work_);
  }

 private:
  bool StartServer() {
    const std::filesystem::path served = work_ / "server-files";
    std::filesystem::create_directories(served);
    server_ = std::make_unique<server::FileServer>(server::FileServerOptions{served, "127.0.0.1", 0});
    for (const ServerFile& file : scenario_.server_files) {
      if (file.content) {
        const std::filesystem::path target = served / file.path.substr(1);
        std::filesystem::create_directories(target.parent_path());
        std::ofstream(target, std::ios::binary) << *file.content;
      } else {
        server_->AddGeneratedFile(file.path, file.size, file.seed);
      }
    }
    for (const server::ServerFault& fault : scenario_.server_faults) server_->AddFault(fault);
    if (Status started = server_->Start(); !started.ok()) {
      result_.internal_error = started.ToString();
      return false;
    }
    return true;
  }

  Backend& BackendOf(const std::string& user) {
    std::unique_ptr<Backend>& backend = backends_[user];
    if (!backend) backend = service_->Connect(user);
    return *backend;
  }

  void ScheduleMachineEvents() {
    const TimePoint start = service_->options().start_time;
    for (const MachineEvent& event : scenario_.events) {
      service_->events().ScheduleAt(start + event.at, [this, event] {
        if (event.kind == MachineEvent::Kind::kLogOn) service_->LogOn(event.user);
        if (event.kind == MachineEvent::Kind::kLogOff) service_->LogOff(event.user);
        if (event.kind == MachineEvent::Kind::kRestartService) Restart();
      });
    }
  }

  void CreateJobs() {
    for (const JobSpec& spec : scenario_.jobs) {
      Backend& bits = BackendOf(spec.owner);
      Result<JobId> created = bits.CreateJob(spec.display_name, JobType::kDownload);
      if (!created.ok()) {
        result_.internal_error = "job " + spec.id + ": CreateJob failed: " + created.status().ToString();
        continue;
      }
      const JobId id = *created;
      jobs_[spec.id] = id;
      result_.jobs.emplace_back(spec.id, id.ToString());
      const std::string description = spec.description ? *spec.description
                                      : spec.convention ? RawDescription(*spec.convention) : std::string();
      if (!description.empty()) Expect(spec, "SetDescription", bits.SetDescription(id, description));
      Expect(spec, "SetPriority", bits.SetPriority(id, spec.priority));
      if (spec.retry_delay_s) Expect(spec, "SetMinimumRetryDelay", bits.SetMinimumRetryDelay(id, *spec.retry_delay_s));
      if (spec.no_progress_timeout_s) {
        Expect(spec, "SetNoProgressTimeout", bits.SetNoProgressTimeout(id, *spec.no_progress_timeout_s));
      }
      for (const FileSpec& file : spec.files) {
        const std::filesystem::path local = work_ / file.local;
        std::filesystem::create_directories(local.parent_path());
        const std::string url = file.url.front() == '/' ? server_->base_url() + file.url : file.url;
        Expect(spec, "AddFile", bits.AddFile(id, url, local.string()));
      }
      if (spec.resume) (void)bits.Resume(id);  // may fail on purpose (an empty job)
      const TimePoint start = service_->options().start_time;
      for (const JobAction& action : spec.actions) {
        service_->events().ScheduleAt(start + action.at, [this, &spec, id, action] {
          Backend& owner = BackendOf(spec.owner);
          Status status;
          switch (action.kind) {
            case JobAction::Kind::kSuspend: status = owner.Suspend(id); break;
            case JobAction::Kind::kResume: status = owner.Resume(id); break;
            case JobAction::Kind::kCancel: status = owner.Cancel(id); break;
            case JobAction::Kind::kComplete: status = owner.Complete(id); break;
          }
          (void)status;  // the outcome shows in the job's states; expectations check those
        });
      }
    }
  }

  // A failing setup call is a broken scenario, not a finding: report it as such.
  void Expect(const JobSpec& spec, const char* call, const Status& status) {
    if (!status.ok()) {
      result_.outcomes.push_back({spec.where, false, "job " + spec.id + " " + call + " succeeds", status.ToString()});
    }
  }

  // The Player polls on the virtual clock. It stops once nothing else is pending and a poll found
  // nothing to do, so a scenario still ends when its jobs are done.
  void StartPlayer() {
    if (!scenario_.player) return;
    const PlayerSpec& spec = *scenario_.player;
    wmp::PlayerSettings settings;
    settings.refresh_download = spec.refresh_download;
    settings.library_folder = work_ / spec.library;
    settings.store_keys = scenario_.store_keys;
    player_ = std::make_unique<wmp::Player>(BackendOf(spec.user), settings);
    poll_ = [this, interval = spec.poll_interval] {
      const bool acted = !player_->Poll().empty();
      if (acted || service_->events().pending() > 0) service_->events().ScheduleAfter(interval, poll_);
    };
    service_->events().ScheduleAfter(spec.poll_interval, poll_);
  }

  // A failed restart ends the run as a harness error: the queue the scenario describes is gone
  // (a refused snapshot) or was never saved, so nothing after it would test the program.
  void Restart() {
    if (Status restarted = service_->Restart(); !restarted.ok()) {
      result_.internal_error = "restart_service at " + VirtualTime() + ": " + restarted.ToString();
      stopped_ = true;
    }
  }

  void RunTimeline() {
    // Timed expectations are events too, so they see the state at exactly their time.
    const TimePoint start = service_->options().start_time;
    for (const Expectation& expectation : scenario_.expectations) {
      if (!expectation.at) continue;
      service_->events().ScheduleAt(start + *expectation.at, [this, &expectation] {
        RunView view = View();
        timed_outcomes_.emplace_back(&expectation, Check(expectation, view));
      });
    }
    const TimePoint limit = start + scenario_.max_virtual_time;
    TimePoint last_virtual = service_->Now();
    auto last_moved = std::chrono::steady_clock::now();
    for (std::uint64_t events = 0;; ++events) {
      std::optional<TimePoint> next = service_->events().NextEventTime();
      if (!next || *next > limit) return;
      if (events == options_.max_events) {
        result_.internal_error = "the run reached max_events (" + std::to_string(options_.max_events) +
                                 ") at " + VirtualTime() + " virtual";
        return;
      }
      service_->events().RunNext();
      if (stopped_) return;
      CompleteTransferredJobs();
      // The watchdog reads the real clock only every 1024 events: it costs nothing in a normal run.
      if (service_->Now() != last_virtual) {
        last_virtual = service_->Now();
        last_moved = std::chrono::steady_clock::now();
      } else if (events % 1024 == 0 && std::chrono::steady_clock::now() - last_moved > options_.watchdog) {
        result_.internal_error = "watchdog: virtual time stood still at " + VirtualTime() + " for " +
                                 std::to_string(options_.watchdog.count()) + " real seconds (" +
                                 std::to_string(events + 1) + " events run); the engine is looping";
        return;
      }
    }
  }

  std::string VirtualTime() const {
    const Duration elapsed = service_->Now() - service_->options().start_time;
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()) + " ms";
  }

  void CompleteTransferredJobs() {
    for (const JobSpec& spec : scenario_.jobs) {
      if (!spec.complete_when_transferred || !jobs_.contains(spec.id)) continue;
      Backend& bits = BackendOf(spec.owner);
      Result<JobState> state = bits.GetState(jobs_.at(spec.id));
      if (state.ok() && *state == JobState::kTransferred) (void)bits.Complete(jobs_.at(spec.id));
    }
  }

  RunView View() { return RunView{scenario_, *service_, *server_, work_, jobs_, backends_, player_.get()}; }

  void Finish() {
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
    // The server's port and the work folder change on every run; reports show neutral names so
    // that two runs' traces, Chrome traces and plots compare equal byte for byte.
    const auto neutralize = [this](std::string& text) {
      ReplaceAll(text, server_->base_url(), "http://server");
      ReplaceAll(text, work_.string(), "<work>");
    };
    result_.events = service_->log().events();
    for (fake::LogEvent& event : result_.events) neutralize(event.detail);
    result_.trace = service_->log().ToText();
    neutralize(result_.trace);
    result_.requests = server_->log().Records();
    result_.virtual_time = service_->Now() - service_->options().start_time;
    if (options_.keep_work) result_.work_folder = work_;
  }

  const Scenario& scenario_;
  const RunOptions& options_;
  ScenarioResult& result_;
  std::filesystem::path work_;
  std::unique_ptr<server::FileServer> server_;
  fake::HttpTransport http_;
  std::unique_ptr<fake::FakeBitsService> service_;
  std::map<std::string, std::unique_ptr<Backend>> backends_;
  std::unique_ptr<wmp::Player> player_;
  std::function<void()> poll_;
  std::map<std::string, JobId> jobs_;
  std::vector<std::pair<const Expectation*, ExpectationOutcome>> timed_outcomes_;
  bool stopped_ = false;  // a restart failed: the run ends at once
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
